package io.paystar

import io.paystar.ffi.Call
import io.paystar.ffi.core.LogRecord
import io.paystar.ffi.NativeClient
import io.paystar.ffi.OptionValue
import io.paystar.ffi.CallOutcome
import io.paystar.ffi.Request
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.time.Duration

/** Typed values as core's options: texts, numbers (a [Duration] in milliseconds) and flags. */
/** JSON text handed to core as the nested option it spells (not as a string). */
@JvmInline
internal value class JsonText(val text: String)

internal fun options(vararg pairs: Pair<String, Any?>): Map<String, OptionValue> =
    pairs.mapNotNull { (name, value) ->
        when (value) {
            null -> null
            is String -> name to OptionValue.Text(value)
            is Boolean -> name to OptionValue.Flag(value)
            is io.paystar.ffi.core.WebhookScheme -> name to OptionValue.Scheme(value)
            is io.paystar.ffi.core.SignatureEncoding -> name to OptionValue.Encoding(value)
            is Duration -> name to OptionValue.Number(value.seconds * 1000.0 + value.nano / 1e6)
            is Number -> name to OptionValue.Number(value.toDouble())
            is JsonText -> name to OptionValue.Json(value.text)
            else -> null
        }
    }.toMap()

/**
 * Core's log events onto the `paystar` [System.Logger] (java.util.logging by default, or
 * whatever the platform logging is bridged to, e.g. SLF4J): DEBUG per attempt, WARNING when a
 * retry follows. Core formats the line and collects only the levels asked for; the events are
 * logged here, on the calling thread, after the call: never from the runtime's threads.
 */
internal object Log {
    private val log: System.Logger = System.getLogger("paystar")

    /** 2: every attempt, 1: retries only, 0: nothing (core then collects nothing). */
    fun level(): Int = when {
        log.isLoggable(System.Logger.Level.DEBUG) -> 2
        log.isLoggable(System.Logger.Level.WARNING) -> 1
        else -> 0
    }

    fun emit(events: List<LogRecord>) {
        for (e in events) {
            log.log(if (e.level == "warn") System.Logger.Level.WARNING else System.Logger.Level.DEBUG, e.message)
        }
    }
}

/** Logs the outcome's events, then returns its session or throws its error. */
internal fun settle(outcome: CallOutcome): Session {
    Log.emit(outcome.events)
    outcome.error?.let { throw PaystarException.of(it) }
    return Session(outcome.session ?: throw PaystarException.of(errorInfo("internal_error", "a session call ended with neither session nor error")))
}

/** Logs the outcome's events, then returns its receipt or throws its error. */
internal fun settleReceipt(outcome: CallOutcome): EventReceipt {
    Log.emit(outcome.events)
    outcome.error?.let { throw PaystarException.of(it) }
    return EventReceipt(outcome.receipt ?: throw PaystarException.of(errorInfo("internal_error", "an event call ended with neither receipt nor error")))
}

/**
 * A Paystar client: `suspend` operations (they block no thread while the call runs; cancelling
 * the coroutine stops the call) and `...Blocking` twins for Java-style callers. Thread-safe:
 * share one.
 * A bad config throws [PaystarException.Configuration] here, never at the first call. The JVM's
 * trust store and `https.proxyHost` settings count too (see [JvmNetwork]).
 */
class PaystarClient @JvmOverloads constructor(val config: PaystarConfig = PaystarConfig()) : AutoCloseable {
    private val native: NativeClient =
        translated { NativeClient(JvmNetwork.options(config, config.toNative()), "kotlin; jvm ${Runtime.version().feature()}") }

    /** What must live as long as this client: the [MockGateway] it was made from. */
    internal var keepAlive: Any? = null

    /** The native client's id: calls name it by number (one FFI call each, no handle clone). */
    private val id: ULong = native.id()

    /** Whether calls record telemetry (the `telemetry` option as core resolved it). */
    private val telemetry: Boolean = native.telemetry()

    /** The URL of Paystar's loader script for this environment (null with a custom baseUrl). */
    val loaderUrl: String? get() = native.loaderUrl()

    /** Where Events API calls go (`https://gateway.paystar.io/` in production; else `baseUrl`). */
    val eventsBaseUrl: String get() = native.eventsBaseUrl()

    /** Creates a payment session. */
    suspend fun createPaymentSession(request: PaymentSessionRequest, options: CallOptions = CallOptions()): Session =
        io(PAYMENT, Request.Payment(request), options)

    /** Creates an AutoPay session. */
    suspend fun createAutopaySession(request: AccountSessionRequest, options: CallOptions = CallOptions()): Session =
        io(AUTOPAY, Request.Account(request), options)

    /** Creates a wallet session. */
    suspend fun createWalletSession(request: CustomerSessionRequest, options: CallOptions = CallOptions()): Session =
        io(WALLET, Request.Customer(request), options)

    /** Creates a paperless session. */
    suspend fun createPaperlessSession(request: AccountSessionRequest, options: CallOptions = CallOptions()): Session =
        io(PAPERLESS, Request.Account(request), options)

    /** Creates a notification session. */
    suspend fun createNotificationSession(request: CustomerSessionRequest, options: CallOptions = CallOptions()): Session =
        io(NOTIFICATION, Request.Customer(request), options)

    /**
     * Updates a customer's names or email address through the Events API
     * (`Accounts.ManageCustomer`): the only documented way, since sessions keep the names first
     * seen for an email.
     */
    suspend fun updateCustomer(request: UpdateCustomerRequest, options: CallOptions = CallOptions()): EventReceipt =
        settleReceipt(call(UPDATE_CUSTOMER, Request.UpdateCustomer(request), options))

    /** Sends an Events API event (e.g. `Accounts.UnenrollAutopay`); `payloadJson` goes as JSON text. */
    suspend fun sendEvent(request: EventRequest, options: CallOptions = CallOptions()): EventReceipt =
        settleReceipt(call(SEND_EVENT, Request.Event(request), options))

    /**
     * Any session operation (`create_payment_session`, ...) from a JSON request with camelCase keys
     * (the Events API calls answer an [EventReceipt]: use [updateCustomer] and [sendEvent]);
     * unknown keys are a [PaystarException.Validation]. For requests built as JSON elsewhere.
     */
    suspend fun execute(operation: String, requestJson: String, options: CallOptions = CallOptions()): Session =
        io(sessionOperation(operation), Request.Json(requestJson), options)

    /** Blocking twin of [createPaymentSession]. */
    @JvmOverloads
    fun createPaymentSessionBlocking(request: PaymentSessionRequest, options: CallOptions = CallOptions()): Session =
        blocking(PAYMENT, Request.Payment(request), options)

    /** Blocking twin of [createAutopaySession]. */
    @JvmOverloads
    fun createAutopaySessionBlocking(request: AccountSessionRequest, options: CallOptions = CallOptions()): Session =
        blocking(AUTOPAY, Request.Account(request), options)

    /** Blocking twin of [createWalletSession]. */
    @JvmOverloads
    fun createWalletSessionBlocking(request: CustomerSessionRequest, options: CallOptions = CallOptions()): Session =
        blocking(WALLET, Request.Customer(request), options)

    /** Blocking twin of [createPaperlessSession]. */
    @JvmOverloads
    fun createPaperlessSessionBlocking(request: AccountSessionRequest, options: CallOptions = CallOptions()): Session =
        blocking(PAPERLESS, Request.Account(request), options)

    /** Blocking twin of [createNotificationSession]. */
    @JvmOverloads
    fun createNotificationSessionBlocking(request: CustomerSessionRequest, options: CallOptions = CallOptions()): Session =
        blocking(NOTIFICATION, Request.Customer(request), options)

    /** Blocking twin of [updateCustomer]. */
    @JvmOverloads
    fun updateCustomerBlocking(request: UpdateCustomerRequest, options: CallOptions = CallOptions()): EventReceipt =
        settleReceipt(callBlocking(UPDATE_CUSTOMER, Request.UpdateCustomer(request), options))

    /** Blocking twin of [sendEvent]. */
    @JvmOverloads
    fun sendEventBlocking(request: EventRequest, options: CallOptions = CallOptions()): EventReceipt =
        settleReceipt(callBlocking(SEND_EVENT, Request.Event(request), options))

    /** Blocking twin of [execute]. */
    @JvmOverloads
    fun executeBlocking(operation: String, requestJson: String, options: CallOptions = CallOptions()): Session =
        blocking(sessionOperation(operation), Request.Json(requestJson), options)

    /** [operation], refused before anything is sent when it does not answer a session (core's rule). */
    private fun sessionOperation(operation: String): String {
        translated { io.paystar.ffi.checkSessionOperation(operation) }
        return operation
    }

    /**
     * Opens a connection to the gateway ahead of the first call (TCP, TLS, HTTP/2) and keeps it
     * in the pool: a `HEAD` of the base URL that carries no API key and creates nothing. Returns
     * the answer's status (any status proves the connection); throws
     * [PaystarException.Connection] (an untrusted certificate says so) or
     * [PaystarException.Timeout]. Not retried. A service calls it at start, before it takes
     * traffic, so its first call does not pay the handshakes.
     */
    suspend fun warmUp(): Int = withContext(Dispatchers.IO) { warmUpBlocking() }

    /** Blocking twin of [warmUp]. */
    fun warmUpBlocking(): Int {
        val outcome = translated { io.paystar.ffi.warmUp(id) }
        outcome.error?.let { throw PaystarException.of(it) }
        return outcome.status?.toInt() ?: throw PaystarException.of(errorInfo("internal_error", "a warm-up ended with neither status nor error"))
    }

    /** Releases the native client. */
    override fun close() = native.close()

    override fun toString(): String = "PaystarClient(${native.describe()})"

    /**
     * Runs a typed or JSON request through `operation`; the typed-record entry point the public
     * methods share (the vector suite uses it to run vectors through the data classes).
     */
    internal suspend fun io(operation: String, request: Request, options: CallOptions): Session =
        settle(call(operation, request, options))

    /**
     * Runs a call without blocking a thread (see [NativeCalls]) and returns its outcome (a
     * session, receipt or error). A cancelled coroutine stops the call through its id.
     */
    internal suspend fun call(operation: String, request: Request, options: CallOptions): CallOutcome =
        traced(operation, request, options, nextCallId.incrementAndGet().toULong()) { NativeCalls.executeSuspending(id, it) }

    /**
     * The call's record (its span opened first, when telemetry records) given to [run], and
     * the span ended with the outcome's telemetry (or with nothing, when [run] throws).
     */
    private inline fun traced(operation: String, request: Request, options: CallOptions, callId: ULong, run: (Call) -> CallOutcome): CallOutcome {
        val traced = Telemetry.start(telemetry, operation)
        val outcome = try {
            run(Call(operation, request, nativeOptions(options, traced), Log.level().toUByte(), traced?.records == true, callId))
        } catch (e: Throwable) {
            traced?.finish(null)
            throw e
        }
        traced?.finish(outcome.telemetry)
        return outcome
    }

    /** The per-call options, with the call span's trace context unless the caller gave one. */
    private fun nativeOptions(options: CallOptions, traced: TracedCall?): Map<String, OptionValue> {
        val native = options.toNative()
        val parent = traced?.traceparent
        if (parent == null || options.traceparent != null) return native
        val with = native.toMutableMap()
        with["traceparent"] = OptionValue.Text(parent)
        traced.tracestate?.let { with["tracestate"] = OptionValue.Text(it) }
        return with
    }

    internal fun blocking(operation: String, request: Request, options: CallOptions): Session =
        settle(callBlocking(operation, request, options))

    /** Runs a call on the calling thread and returns its outcome. */
    internal fun callBlocking(operation: String, request: Request, options: CallOptions): CallOutcome =
        traced(operation, request, options, 0UL) { NativeCalls.execute(id, it) }

    companion object {
        /** Ids for calls a cancelled coroutine may stop. */
        private val nextCallId = java.util.concurrent.atomic.AtomicLong()
        private const val PAYMENT = "create_payment_session"
        private const val AUTOPAY = "create_autopay_session"
        private const val WALLET = "create_wallet_session"
        private const val PAPERLESS = "create_paperless_session"
        private const val NOTIFICATION = "create_notification_session"
        private const val UPDATE_CUSTOMER = "update_customer"
        private const val SEND_EVENT = "send_event"

        /** Every core error code. */
        @JvmStatic
        fun errorCodes(): List<String> = io.paystar.ffi.errorCodes()

        /** Every operation name. */
        @JvmStatic
        fun operations(): List<String> = io.paystar.ffi.operationNames()

        /** Every field-error rule name ([FieldError.rule]). */
        @JvmStatic
        fun rules(): List<String> = io.paystar.ffi.rules()
    }
}
