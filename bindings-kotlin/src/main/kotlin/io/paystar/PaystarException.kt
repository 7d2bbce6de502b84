// Generated from core's error codes and attributes by core/tests/generated: do not edit.
package io.paystar

import io.paystar.ffi.core.ErrorInfo
import io.paystar.ffi.NativeException

/**
 * Every paystar failure: one subclass per stable [code]. Never contains the API key.
 *
* ```
 * try { client.createWalletSession(request) }
* catch (e: PaystarException.Validation) { e.fieldErrors.forEach { println("${it.path}: ${it.message}") } }
* catch (e: PaystarException) { log.warn("paystar {} (status {}, request id {})", e.code, e.status, e.requestId) }
* ```
 */
sealed class PaystarException(info: ErrorInfo) : RuntimeException(info.message) {
    /** The stable code: `validation_error`, `timeout`, ... */
    val code: String = info.code

    /** Whether trying the same call again later may succeed (core decides, per code). */
    val retryable: Boolean = info.retryable

    /** The HTTP status, when the gateway answered. */
    val status: Int? = info.status

    /** Every broken rule (`validation_error`), by wire path (`Charges[0].Amount`). */
    val fieldErrors: List<FieldError> = info.fieldErrors

    /** The gateway's `errors` items (`api_error`), kept verbatim in `raw`. */
    val apiErrors: List<GatewayError> = info.apiErrors

    /** HTTP attempts made (0 when no request was sent). */
    val attempts: Int = info.attempts

    /** True when an earlier attempt may have reached the gateway (a retried create could collide with a unique client reference). */
    val ambiguous: Boolean = info.ambiguous

    /** How long the gateway asked to wait (`Retry-After`), when it did. */
    val retryAfter: java.time.Duration? = info.retryAfter

    /** The gateway's request id, when sent. */
    val requestId: String? = info.requestId

    /** The option a `configuration_error` is about, as this language spells it (or as you wrote it, when unknown). */
    val option: String? = info.option

    /** Why a webhook was refused (`webhook_error`): `signature_mismatch`, ... */
    val reason: String? = info.reason

    /** The HTTP status a webhook endpoint answers a `webhook_error` with (401, 400, 413). */
    val responseStatus: Int? = info.responseStatus

    /** `validation_error`: The input breaks a rule; `field_errors` lists every one. No request was sent. */
    class Validation
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `configuration_error`: A bad API key, base URL, timeout or other option (raised when the client is built, or for bad per-call options); `option` names it. */
    class Configuration
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `authentication_error`: The gateway refused the key (401 or 403). */
    class Authentication
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `api_error`: The gateway answered `hasErrors: true`, another 4xx or a redirect; `api_errors` holds its items. */
    class Api
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `rate_limited`: 429 still failing after retries, or a `Retry-After` too long to wait (`retry_after`). */
    class RateLimited
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `server_error`: 5xx still failing after retries. */
    class Server
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `timeout`: An attempt timed out and retries ran out (or the overall deadline passed). */
    class Timeout
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `connection_error`: DNS, connect, TLS or a dropped connection, and retries ran out. */
    class Connection
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `decode_error`: A 2xx answer that is not the documented envelope (or is over 1 MiB). */
    class Decode
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `internal_error`: A bug or a broken runtime inside paystar (never a crash): please report it. Also the class of a code this binding does not know. */
    class Internal
    internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `webhook_error`: A webhook failed authentication or parsing; `reason` says why and `response_status` is what the endpoint answers. */
    class Webhook
    internal constructor(info: ErrorInfo) : PaystarException(info)

    companion object {
        /** The subclass for each core code. */
        @JvmField
        val CLASSES: Map<String, Class<out PaystarException>> = mapOf(
            "validation_error" to Validation::class.java,
            "configuration_error" to Configuration::class.java,
            "authentication_error" to Authentication::class.java,
            "api_error" to Api::class.java,
            "rate_limited" to RateLimited::class.java,
            "server_error" to Server::class.java,
            "timeout" to Timeout::class.java,
            "connection_error" to Connection::class.java,
            "decode_error" to Decode::class.java,
            "internal_error" to Internal::class.java,
            "webhook_error" to Webhook::class.java,
        )

        internal fun of(info: ErrorInfo): PaystarException = when (info.code) {
            "validation_error" -> Validation(info)
            "configuration_error" -> Configuration(info)
            "authentication_error" -> Authentication(info)
            "api_error" -> Api(info)
            "rate_limited" -> RateLimited(info)
            "server_error" -> Server(info)
            "timeout" -> Timeout(info)
            "connection_error" -> Connection(info)
            "decode_error" -> Decode(info)
            "webhook_error" -> Webhook(info)
            else -> Internal(info) // internal_error, or a code newer than this layer
        }
    }
}

/** Core's error of [code] with [message], every attribute as core sets it. */
internal fun errorInfo(code: String, message: String): ErrorInfo = io.paystar.ffi.errorInfoFor(code, message)

/**
 * Runs a native call, turning its error into the [PaystarException] for its code, and a Rust
* panic that uniffi caught into [PaystarException.Internal]: nothing else escapes.
 */
internal inline fun <T> translated(block: () -> T): T =
    try {
        block()
    } catch (e: NativeException.Failure) {
        throw PaystarException.of(e.info)
    } catch (e: io.paystar.ffi.InternalException) {
        throw PaystarException.of(errorInfo("internal_error", "paystar failed inside (a bug): ${e.message}"))
    }
