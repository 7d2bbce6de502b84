// Generated from core's option specs (paystar::bridge::CLIENT_OPTIONS, CALL_OPTIONS) by
// core/tests/generated: do not edit.
package io.paystar

import io.paystar.ffi.OptionValue
import java.time.Duration

/**
 * Client options. `apiKey` defaults to `PAYSTAR_API_KEY`, `environment` to
 * `PAYSTAR_ENVIRONMENT` or `development`; `baseUrl` points anywhere (plain http only to
 * loopback, e.g. a [MockGateway]). A secret option (the key, the proxy URL) is write-only:
 * no public property, getter or `toString()` shows it (Jackson, Gson or a debugger printing
 * the config see none). A bad value is a [PaystarException.Configuration] at construction
 * of the client, naming the option.
 */
data class PaystarConfig @JvmOverloads constructor(
    /** The API key (default: the PAYSTAR_API_KEY environment variable). Never shown. */
    // Private (no getter for Jackson) and transient (Gson and Java serialization skip it).
    @field:Transient private val apiKey: String? = null,
    /** `development` (default, or PAYSTAR_ENVIRONMENT) or `production`. */
    val environment: String? = null,
    /** Any https URL instead of the environment's (default: PAYSTAR_BASE_URL when no environment is given; plain http only to loopback, e.g. a MockGateway's url). */
    val baseUrl: String? = null,
    /** Per-attempt timeout (default 30 s). */
    val timeout: Duration? = null,
    /** Connect timeout (default 10 s). */
    val connectTimeout: Duration? = null,
    /** Retries after the first attempt (default 2, at most 10). */
    val maxRetries: Int? = null,
    /** Bound on the whole call, retries included (default: timeout x attempts + backoff). */
    val deadline: Duration? = null,
    /** Appended to the User-Agent (e.g. `shop/1.2`). */
    val userAgentSuffix: String? = null,
    /** An explicit proxy URL (HTTPS_PROXY / NO_PROXY are honoured by default). Never shown: it may carry credentials. */
    // Private (no getter for Jackson) and transient (Gson and Java serialization skip it).
    @field:Transient private val proxy: String? = null,
    /** Hosts reached without the proxy, as NO_PROXY writes them (`.example.com,10.0.0.0/8`). */
    val noProxy: String? = null,
    /** A PEM file of extra trusted roots (a corporate CA), added to the system store and SSL_CERT_FILE. */
    val caBundle: String? = null,
    /** PEM text of extra trusted roots, like `ca_bundle` without a file. */
    val caCertificates: String? = null,
    /** Requests in flight at once, 1 to 10,000 (default 100); more calls wait within their deadline. */
    val maxInFlight: Int? = null,
    /** Validate requests before sending (default true). */
    val clientValidation: Boolean? = null,
    /** OpenTelemetry spans and metrics for this client's calls when the OpenTelemetry API is installed (default true). */
    val telemetry: Boolean? = null,
) {
    /** Every option; a secret one as `***` when set. */
    override fun toString(): String =
        "PaystarConfig(apiKey=${if (apiKey == null) "null" else "***"}, environment=$environment, baseUrl=$baseUrl, timeout=$timeout, connectTimeout=$connectTimeout, maxRetries=$maxRetries, deadline=$deadline, userAgentSuffix=$userAgentSuffix, proxy=${if (proxy == null) "null" else "***"}, noProxy=$noProxy, caBundle=$caBundle, caCertificates=$caCertificates, maxInFlight=$maxInFlight, clientValidation=$clientValidation, telemetry=$telemetry)"

    /** The options as core reads them (camelCase names, durations in milliseconds). */
    internal fun toNative(): Map<String, OptionValue> = options(
        "apiKey" to apiKey, "environment" to environment, "baseUrl" to baseUrl, "timeout" to timeout, "connectTimeout" to connectTimeout, "maxRetries" to maxRetries, "deadline" to deadline, "userAgentSuffix" to userAgentSuffix, "proxy" to proxy, "noProxy" to noProxy, "caBundle" to caBundle, "caCertificates" to caCertificates, "maxInFlight" to maxInFlight, "clientValidation" to clientValidation, "telemetry" to telemetry,
    )

    /** This config with `apiKey` (unless one was given) and `baseUrl` set: a mock's. */
    internal fun boundTo(key: String, url: String) = copy(apiKey = apiKey ?: key, baseUrl = url)

    /** Builds a [PaystarConfig] one option at a time (for Java: `PaystarConfig.builder().build()`). */
    class Builder internal constructor() {
        private var apiKey: String? = null
        private var environment: String? = null
        private var baseUrl: String? = null
        private var timeout: Duration? = null
        private var connectTimeout: Duration? = null
        private var maxRetries: Int? = null
        private var deadline: Duration? = null
        private var userAgentSuffix: String? = null
        private var proxy: String? = null
        private var noProxy: String? = null
        private var caBundle: String? = null
        private var caCertificates: String? = null
        private var maxInFlight: Int? = null
        private var clientValidation: Boolean? = null
        private var telemetry: Boolean? = null

        /** The API key (default: the PAYSTAR_API_KEY environment variable). Never shown. */
        fun apiKey(value: String?): Builder = apply { apiKey = value }

        /** `development` (default, or PAYSTAR_ENVIRONMENT) or `production`. */
        fun environment(value: String?): Builder = apply { environment = value }

        /** Any https URL instead of the environment's (default: PAYSTAR_BASE_URL when no environment is given; plain http only to loopback, e.g. a MockGateway's url). */
        fun baseUrl(value: String?): Builder = apply { baseUrl = value }

        /** Per-attempt timeout (default 30 s). */
        fun timeout(value: Duration?): Builder = apply { timeout = value }

        /** Connect timeout (default 10 s). */
        fun connectTimeout(value: Duration?): Builder = apply { connectTimeout = value }

        /** Retries after the first attempt (default 2, at most 10). */
        fun maxRetries(value: Int?): Builder = apply { maxRetries = value }

        /** Bound on the whole call, retries included (default: timeout x attempts + backoff). */
        fun deadline(value: Duration?): Builder = apply { deadline = value }

        /** Appended to the User-Agent (e.g. `shop/1.2`). */
        fun userAgentSuffix(value: String?): Builder = apply { userAgentSuffix = value }

        /** An explicit proxy URL (HTTPS_PROXY / NO_PROXY are honoured by default). Never shown: it may carry credentials. */
        fun proxy(value: String?): Builder = apply { proxy = value }

        /** Hosts reached without the proxy, as NO_PROXY writes them (`.example.com,10.0.0.0/8`). */
        fun noProxy(value: String?): Builder = apply { noProxy = value }

        /** A PEM file of extra trusted roots (a corporate CA), added to the system store and SSL_CERT_FILE. */
        fun caBundle(value: String?): Builder = apply { caBundle = value }

        /** PEM text of extra trusted roots, like `ca_bundle` without a file. */
        fun caCertificates(value: String?): Builder = apply { caCertificates = value }

        /** Requests in flight at once, 1 to 10,000 (default 100); more calls wait within their deadline. */
        fun maxInFlight(value: Int?): Builder = apply { maxInFlight = value }

        /** Validate requests before sending (default true). */
        fun clientValidation(value: Boolean?): Builder = apply { clientValidation = value }

        /** OpenTelemetry spans and metrics for this client's calls when the OpenTelemetry API is installed (default true). */
        fun telemetry(value: Boolean?): Builder = apply { telemetry = value }

        /** The [PaystarConfig] with the options set so far (the rest at their defaults). */
        fun build(): PaystarConfig = PaystarConfig(apiKey = apiKey, environment = environment, baseUrl = baseUrl, timeout = timeout, connectTimeout = connectTimeout, maxRetries = maxRetries, deadline = deadline, userAgentSuffix = userAgentSuffix, proxy = proxy, noProxy = noProxy, caBundle = caBundle, caCertificates = caCertificates, maxInFlight = maxInFlight, clientValidation = clientValidation, telemetry = telemetry)

        /** Never shows an option (a secret may be set). */
        override fun toString(): String = "PaystarConfig.Builder"
    }

    companion object {
        /** A [Builder] with every option at its default. */
        @JvmStatic
        fun builder(): Builder = Builder()
    }
}

/**
 * Per-call overrides of the client's `timeout` (per attempt) and `maxRetries`. A bad value (a
 * negative [Duration], say) is a [PaystarException.Configuration] before anything is sent.
 */
data class CallOptions @JvmOverloads constructor(
    /** Per-attempt timeout for this call. */
    val timeout: Duration? = null,
    /** Retries after the first attempt, for this call. */
    val maxRetries: Int? = null,
    /** A W3C `traceparent` sent on every attempt (default: the current span's, when telemetry is on). */
    val traceparent: String? = null,
    /** The W3C `tracestate` sent with `traceparent`. */
    val tracestate: String? = null,
) {
    /** Every option; a secret one as `***` when set. */
    override fun toString(): String =
        "CallOptions(timeout=$timeout, maxRetries=$maxRetries, traceparent=$traceparent, tracestate=$tracestate)"

    /** The options as core reads them (camelCase names, durations in milliseconds). */
    internal fun toNative(): Map<String, OptionValue> = options(
        "timeout" to timeout, "maxRetries" to maxRetries, "traceparent" to traceparent, "tracestate" to tracestate,
    )

    /** Builds a [CallOptions] one option at a time (for Java: `CallOptions.builder().build()`). */
    class Builder internal constructor() {
        private var timeout: Duration? = null
        private var maxRetries: Int? = null
        private var traceparent: String? = null
        private var tracestate: String? = null

        /** Per-attempt timeout for this call. */
        fun timeout(value: Duration?): Builder = apply { timeout = value }

        /** Retries after the first attempt, for this call. */
        fun maxRetries(value: Int?): Builder = apply { maxRetries = value }

        /** A W3C `traceparent` sent on every attempt (default: the current span's, when telemetry is on). */
        fun traceparent(value: String?): Builder = apply { traceparent = value }

        /** The W3C `tracestate` sent with `traceparent`. */
        fun tracestate(value: String?): Builder = apply { tracestate = value }

        /** The [CallOptions] with the options set so far (the rest at their defaults). */
        fun build(): CallOptions = CallOptions(timeout = timeout, maxRetries = maxRetries, traceparent = traceparent, tracestate = tracestate)

        /** Never shows an option (a secret may be set). */
        override fun toString(): String = "CallOptions.Builder"
    }

    companion object {
        /** A [Builder] with every option at its default. */
        @JvmStatic
        fun builder(): Builder = Builder()
    }
}
