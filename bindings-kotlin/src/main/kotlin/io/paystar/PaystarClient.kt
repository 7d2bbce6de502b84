package io.paystar

import io.paystar.ffi.ClientOptions
import io.paystar.ffi.NativeClient
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.time.Duration

/**
 * Client options. `apiKey` defaults to `PAYSTAR_API_KEY`, `environment` to
 * `PAYSTAR_ENVIRONMENT` or `development`; `baseUrl` points anywhere (plain http only to
 * loopback, e.g. a [MockGateway]). `toString()` never shows the key.
 */
data class PaystarConfig @JvmOverloads constructor(
    val apiKey: String? = null,
    val environment: String? = null,
    val baseUrl: String? = null,
    val timeout: Duration? = null,
    val connectTimeout: Duration? = null,
    val maxRetries: Int? = null,
    val deadline: Duration? = null,
    val userAgentSuffix: String? = null,
    val proxy: String? = null,
    val clientValidation: Boolean? = null,
) {
    override fun toString(): String =
        "PaystarConfig(apiKey=${if (apiKey == null) "null" else "***"}, environment=$environment, " +
            "baseUrl=$baseUrl, timeout=$timeout, connectTimeout=$connectTimeout, maxRetries=$maxRetries, " +
            "deadline=$deadline, userAgentSuffix=$userAgentSuffix, proxy=${proxy?.let { "***" }}, " +
            "clientValidation=$clientValidation)"

    internal fun toNative() = ClientOptions(
        apiKey, environment, baseUrl, timeout, connectTimeout, maxRetries, deadline, userAgentSuffix, proxy,
        clientValidation, "kotlin; jvm ${Runtime.version().feature()}",
    )
}

/**
 * Logs each HTTP attempt to the `paystar` [System.Logger] (java.util.logging by default, or
 * whatever the platform logging is bridged to, e.g. SLF4J): DEBUG per attempt, WARNING when a
 * retry follows. Never the key, never bodies.
 */
internal object AttemptLogger : io.paystar.ffi.AttemptListener {
    private val log: System.Logger = System.getLogger("paystar")

    override fun onAttempt(event: io.paystar.ffi.AttemptRecord) {
        val level = if (event.retryIn != null) System.Logger.Level.WARNING else System.Logger.Level.DEBUG
        if (!log.isLoggable(level)) return
        val outcome = event.errorCode?.let { " $it" } ?: ""
        val retry = event.retryIn?.let { "; retrying in ${it.toMillis()} ms" } ?: ""
        val ms = event.elapsed.toNanos() / 1e6
        log.log(
            level,
            "${event.method} ${event.path} -> ${event.status ?: "no answer"}$outcome " +
                "(attempt ${event.attempt}, ${"%.1f".format(ms)} ms, request id ${event.requestId ?: "-"})$retry",
        )
    }
}

/**
 * A Paystar client: `suspend` operations (run on [Dispatchers.IO]; cancelling the coroutine
 * stops the call) and `...Blocking` twins for Java-style callers. Thread-safe: share one.
 * A bad config throws [PaystarException.Configuration] here, never at the first call.
 */
class PaystarClient @JvmOverloads constructor(val config: PaystarConfig = PaystarConfig()) : AutoCloseable {
    private val native: NativeClient = translated { NativeClient(config.toNative(), AttemptLogger) }

    /** The URL of Paystar's loader script for this environment (null with a custom baseUrl). */
    val loaderUrl: String? get() = native.loaderUrl()

    /** Creates a payment session. */
    suspend fun createPaymentSession(request: PaymentSessionRequest, options: CallOptions = CallOptions()): Session =
        io { native.createPaymentSession(request, options) }

    /** Creates an AutoPay session. */
    suspend fun createAutopaySession(request: AccountSessionRequest, options: CallOptions = CallOptions()): Session =
        io { native.createAccountSession(AUTOPAY, request, options) }

    /** Creates a wallet session. */
    suspend fun createWalletSession(request: CustomerSessionRequest, options: CallOptions = CallOptions()): Session =
        io { native.createCustomerSession(WALLET, request, options) }

    /** Creates a paperless session. */
    suspend fun createPaperlessSession(request: AccountSessionRequest, options: CallOptions = CallOptions()): Session =
        io { native.createAccountSession(PAPERLESS, request, options) }

    /** Creates a notification session. */
    suspend fun createNotificationSession(request: CustomerSessionRequest, options: CallOptions = CallOptions()): Session =
        io { native.createCustomerSession(NOTIFICATION, request, options) }

    /**
     * Any operation (`create_payment_session`, ...) from a JSON request with camelCase keys;
     * unknown keys are a [PaystarException.Validation]. For requests built as JSON elsewhere.
     */
    suspend fun execute(operation: String, requestJson: String, options: CallOptions = CallOptions()): Session =
        io { native.executeJson(operation, requestJson, options) }

    /** Blocking twin of [createPaymentSession]. */
    @JvmOverloads
    fun createPaymentSessionBlocking(request: PaymentSessionRequest, options: CallOptions = CallOptions()): Session =
        translated { native.createPaymentSessionBlocking(request, options) }

    /** Blocking twin of [createAutopaySession]. */
    @JvmOverloads
    fun createAutopaySessionBlocking(request: AccountSessionRequest, options: CallOptions = CallOptions()): Session =
        translated { native.createAccountSessionBlocking(AUTOPAY, request, options) }

    /** Blocking twin of [createWalletSession]. */
    @JvmOverloads
    fun createWalletSessionBlocking(request: CustomerSessionRequest, options: CallOptions = CallOptions()): Session =
        translated { native.createCustomerSessionBlocking(WALLET, request, options) }

    /** Blocking twin of [createPaperlessSession]. */
    @JvmOverloads
    fun createPaperlessSessionBlocking(request: AccountSessionRequest, options: CallOptions = CallOptions()): Session =
        translated { native.createAccountSessionBlocking(PAPERLESS, request, options) }

    /** Blocking twin of [createNotificationSession]. */
    @JvmOverloads
    fun createNotificationSessionBlocking(request: CustomerSessionRequest, options: CallOptions = CallOptions()): Session =
        translated { native.createCustomerSessionBlocking(NOTIFICATION, request, options) }

    /** Blocking twin of [execute]. */
    @JvmOverloads
    fun executeBlocking(operation: String, requestJson: String, options: CallOptions = CallOptions()): Session =
        translated { native.executeJsonBlocking(operation, requestJson, options) }

    /** Releases the native client. */
    override fun close() = native.close()

    override fun toString(): String = "PaystarClient(${native.describe()})"

    private suspend inline fun io(crossinline call: suspend () -> Session): Session =
        withContext(Dispatchers.IO) {
            try {
                call()
            } catch (e: io.paystar.ffi.NativeException) {
                throw PaystarException.from(e)
            }
        }

    companion object {
        private const val AUTOPAY = "create_autopay_session"
        private const val WALLET = "create_wallet_session"
        private const val PAPERLESS = "create_paperless_session"
        private const val NOTIFICATION = "create_notification_session"

        /** Every core error code. */
        @JvmStatic
        fun errorCodes(): List<String> = io.paystar.ffi.errorCodes()

        /** Every operation name. */
        @JvmStatic
        fun operations(): List<String> = io.paystar.ffi.operationNames()
    }
}
