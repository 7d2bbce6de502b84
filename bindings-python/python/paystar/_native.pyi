"""Stubs of the compiled module (pyo3). Import from ``paystar``, not from here."""

from typing import Any, NoReturn, Optional, final, overload

from typing_extensions import Self, Unpack

from paystar._session import EventReceipt, Session
from paystar.types import (
    AutopaySessionParams,
    NotificationSessionParams,
    PaperlessSessionParams,
    PaymentSessionParams,
    SendEventParams,
    UpdateCustomerParams,
    WalletSessionParams,
)

__all__ = [
    "DEFAULT_MOCK_API_KEY",
    "ERROR_CODES",
    "MAX_DEPTH",
    "MAX_WEBHOOK_BYTES",
    "OPERATIONS",
    "RULES",
    "WEBHOOK_ANSWERS",
    "WEBHOOK_REASONS",
    "WEBHOOK_SCHEMES",
    "WEBHOOK_STORE",
    "AsyncClient",
    "Client",
    "MockGateway",
    "_Completions",
    "_MemoryStore",
    "_WebhookVerifier",
    "__version__",
    "_check_endpoint_step",
    "_check_webhook_vector",
    "_claim_of_existing",
    "_raise_sample",
    "_request_fields",
    "_vector_body",
    "_webhook_after_claim",
    "_webhook_parse",
    "_webhook_sign",
]

__version__: str
ERROR_CODES: tuple[str, ...]
OPERATIONS: tuple[str, ...]
RULES: tuple[str, ...]
MAX_DEPTH: int
DEFAULT_MOCK_API_KEY: str

def _request_fields(operation: str) -> list[tuple[str, bool]]: ...
def _raise_sample(code: str) -> NoReturn: ...

WEBHOOK_REASONS: tuple[str, ...]
WEBHOOK_SCHEMES: tuple[str, ...]
MAX_WEBHOOK_BYTES: int
WEBHOOK_ANSWERS: dict[str, dict[str, Any]]
WEBHOOK_STORE: dict[str, Any]

def _webhook_parse(body: bytes) -> Any: ...
def _webhook_sign(body: bytes, **options: Any) -> dict[str, str]: ...
def _check_webhook_vector(case: Any, outcome: Any) -> list[str]: ...
def _vector_body(case: Any) -> bytes: ...
def _check_endpoint_step(step: Any, outcome: Any) -> list[str]: ...
def _webhook_after_claim(claim: str) -> Optional[dict[str, Any]]: ...
def _claim_of_existing(stored: Optional[str]) -> str: ...

@final
class _MemoryStore:
    def __new__(cls) -> Self: ...
    def claim(self, key: str, lease: float) -> str: ...
    def complete(self, key: str, ttl: float) -> None: ...
    def release(self, key: str) -> None: ...
    def state(self, key: str) -> Optional[str]: ...
    def advance(self, seconds: float) -> None: ...

@final
class _Completions:
    def __new__(cls) -> Self: ...
    def take_reader(self) -> int: ...
    def drain(self) -> int: ...

@final
class _WebhookVerifier:
    def __new__(cls, scheme: str, secrets: Any, **options: Any) -> Self: ...
    @property
    def scheme(self) -> str: ...
    def verify(self, body: bytes, headers: Any, *, now: Optional[int] = None) -> Any: ...
    def receive(self, body: bytes, headers: Any, *, now: Optional[int] = None) -> Any: ...
    def settle(self, raised: bool, status: Optional[int] = None) -> dict[str, Any]: ...

@final
class Client:
    """The synchronous client (thread-safe; the GIL is released during network waits)."""

    # BEGIN GENERATED Client (core/tests/generated.rs): the constructor and the operations
    def __new__(
        cls,
        api_key: Optional[str] = None,
        *,
        environment: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        deadline: Optional[float] = None,
        user_agent_suffix: Optional[str] = None,
        proxy: Optional[str] = None,
        client_validation: Optional[bool] = None,
    ) -> Self: ...
    @overload
    def create_payment_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[PaymentSessionParams],
    ) -> Session: ...
    @overload
    def create_payment_session(
        self,
        params: PaymentSessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    def create_autopay_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[AutopaySessionParams],
    ) -> Session: ...
    @overload
    def create_autopay_session(
        self,
        params: AutopaySessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    def create_wallet_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[WalletSessionParams],
    ) -> Session: ...
    @overload
    def create_wallet_session(
        self,
        params: WalletSessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    def create_paperless_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[PaperlessSessionParams],
    ) -> Session: ...
    @overload
    def create_paperless_session(
        self,
        params: PaperlessSessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    def create_notification_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[NotificationSessionParams],
    ) -> Session: ...
    @overload
    def create_notification_session(
        self,
        params: NotificationSessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    def update_customer(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[UpdateCustomerParams],
    ) -> EventReceipt: ...
    @overload
    def update_customer(
        self,
        params: UpdateCustomerParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> EventReceipt: ...
    @overload
    def send_event(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[SendEventParams],
    ) -> EventReceipt: ...
    @overload
    def send_event(
        self,
        params: SendEventParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> EventReceipt: ...
    # END GENERATED Client
    @property
    def base_url(self) -> str: ...
    @property
    def events_base_url(self) -> str: ...
    @property
    def environment(self) -> Optional[str]: ...
    @property
    def loader_url(self) -> Optional[str]: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        *_args: object,
    ) -> None: ...

@final
class AsyncClient:
    """The asyncio client: every operation is a coroutine run on paystar's shared runtime."""

    # BEGIN GENERATED AsyncClient (core/tests/generated.rs): the constructor and the operations
    def __new__(
        cls,
        api_key: Optional[str] = None,
        *,
        environment: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        deadline: Optional[float] = None,
        user_agent_suffix: Optional[str] = None,
        proxy: Optional[str] = None,
        client_validation: Optional[bool] = None,
    ) -> Self: ...
    @overload
    async def create_payment_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[PaymentSessionParams],
    ) -> Session: ...
    @overload
    async def create_payment_session(
        self,
        params: PaymentSessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    async def create_autopay_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[AutopaySessionParams],
    ) -> Session: ...
    @overload
    async def create_autopay_session(
        self,
        params: AutopaySessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    async def create_wallet_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[WalletSessionParams],
    ) -> Session: ...
    @overload
    async def create_wallet_session(
        self,
        params: WalletSessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    async def create_paperless_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[PaperlessSessionParams],
    ) -> Session: ...
    @overload
    async def create_paperless_session(
        self,
        params: PaperlessSessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    async def create_notification_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[NotificationSessionParams],
    ) -> Session: ...
    @overload
    async def create_notification_session(
        self,
        params: NotificationSessionParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Session: ...
    @overload
    async def update_customer(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[UpdateCustomerParams],
    ) -> EventReceipt: ...
    @overload
    async def update_customer(
        self,
        params: UpdateCustomerParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> EventReceipt: ...
    @overload
    async def send_event(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **fields: Unpack[SendEventParams],
    ) -> EventReceipt: ...
    @overload
    async def send_event(
        self,
        params: SendEventParams,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> EventReceipt: ...
    # END GENERATED AsyncClient
    @property
    def base_url(self) -> str: ...
    @property
    def events_base_url(self) -> str: ...
    @property
    def environment(self) -> Optional[str]: ...
    @property
    def loader_url(self) -> Optional[str]: ...
    def close(self) -> None: ...
    async def aclose(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *_args: object) -> None: ...

@final
class MockGateway:
    """An in-process Paystar gateway on 127.0.0.1 for tests and demos."""

    def __new__(
        cls,
        *,
        api_key: Optional[str] = None,
        seed: Optional[int] = None,
        webhook: Optional[dict[str, Any]] = None,
    ) -> Self: ...
    @property
    def url(self) -> str: ...
    def set_webhook(
        self,
        url: Optional[str],
        *,
        scheme: str = ...,
        secret: str = ...,
        header: Optional[str] = None,
        encoding: Optional[str] = None,
        timestamp_header: Optional[str] = None,
        redeliveries: int = 0,
    ) -> None: ...
    def complete(self, session: Any) -> dict[str, Any]: ...
    @property
    def api_key(self) -> str: ...
    @property
    def requests(self) -> list[dict[str, Any]]: ...
    def _check_vector(self, case: Any, outcome: Any, skip: int) -> list[str]: ...
    def _soak(self, seed: int, rate: float) -> None: ...
    def _forget_requests(self) -> None: ...
    def _audit_soak(self, outcomes: Any, max_retries: int) -> dict[str, Any]: ...
    @property
    def session_count(self) -> int: ...
    def script(self, faults: Any) -> None: ...
    def clear_script(self) -> None: ...
    def customer(self, email: str) -> Optional[dict[str, Any]]: ...
    def account(
        self, account_number: str, sub_account_number: Optional[str] = None
    ) -> Optional[dict[str, Any]]: ...
    def advance_clock(self, seconds: float) -> None: ...
    def stop(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *_args: object) -> None: ...
