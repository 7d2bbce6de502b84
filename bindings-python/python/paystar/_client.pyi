"""Stubs of the clients (the native ``paystar._native.Client`` and ``AsyncClient``).

Generated from core's schema and option list by core/tests/generated: do not edit.
"""

from typing import Optional, final, overload

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

__all__ = ["AsyncClient", "Client"]

@final
class Client:
    """The synchronous client (thread-safe; the GIL is released during network waits)."""

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
        no_proxy: Optional[str] = None,
        ca_bundle: Optional[str] = None,
        ca_certificates: Optional[str] = None,
        max_in_flight: Optional[int] = None,
        client_validation: Optional[bool] = None,
        telemetry: Optional[bool] = None,
    ) -> Self: ...
    @overload
    def create_payment_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    def create_autopay_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    def create_wallet_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    def create_paperless_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    def create_notification_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    def update_customer(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> EventReceipt: ...
    @overload
    def send_event(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> EventReceipt: ...
    @property
    def base_url(self) -> str: ...
    @property
    def events_base_url(self) -> str: ...
    @property
    def environment(self) -> Optional[str]: ...
    @property
    def loader_url(self) -> Optional[str]: ...
    def close(self) -> None: ...
    def warm_up(self) -> int: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        *_args: object,
    ) -> None: ...

@final
class AsyncClient:
    """The asyncio client: every operation is a coroutine run on paystar's shared runtime."""

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
        no_proxy: Optional[str] = None,
        ca_bundle: Optional[str] = None,
        ca_certificates: Optional[str] = None,
        max_in_flight: Optional[int] = None,
        client_validation: Optional[bool] = None,
        telemetry: Optional[bool] = None,
    ) -> Self: ...
    @overload
    async def create_payment_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    async def create_autopay_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    async def create_wallet_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    async def create_paperless_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    async def create_notification_session(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> Session: ...
    @overload
    async def update_customer(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> EventReceipt: ...
    @overload
    async def send_event(
        self,
        params: None = None,
        /,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
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
        traceparent: Optional[str] = None,
        tracestate: Optional[str] = None,
    ) -> EventReceipt: ...
    @property
    def base_url(self) -> str: ...
    @property
    def events_base_url(self) -> str: ...
    @property
    def environment(self) -> Optional[str]: ...
    @property
    def loader_url(self) -> Optional[str]: ...
    def close(self) -> None: ...
    async def warm_up(self) -> int: ...
    async def aclose(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *_args: object) -> None: ...
