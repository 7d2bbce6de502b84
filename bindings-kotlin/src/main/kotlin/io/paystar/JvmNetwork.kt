package io.paystar

import io.paystar.ffi.OptionValue
import java.security.KeyStore
import java.util.Base64
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/**
 * The JVM's own network conventions, read here and handed to core as options (core decides
 * nothing from them; they are only more roots and a proxy):
 *
 * - trust: the issuers the JVM's default `TrustManagerFactory` accepts — its `cacerts`, or the
 *   store named by `javax.net.ssl.trustStore`, so a corporate CA installed into the JDK counts —
 *   are added to core's roots (the OS store and `SSL_CERT_FILE` / `SSL_CERT_DIR`), after any
 *   `caBundle` / `caCertificates` the config gives. Roots only add: nothing here can remove one.
 * - proxy: `https.proxyHost` / `https.proxyPort` (default 443, as the JDK) become `proxy`, and
 *   `http.nonProxyHosts` becomes `noProxy`, unless the config sets `proxy` / `noProxy` itself.
 *   Precedence: the config's `proxy`, then these properties, then `HTTPS_PROXY` / `NO_PROXY`.
 *
 * Read once per JVM (the JDK also reads its trust store once).
 */
internal object JvmNetwork {
    /** The JVM trust store's accepted issuers as PEM text, or null when it has none. */
    val trustedIssuersPem: String? by lazy {
        runCatching {
            val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
            factory.init(null as KeyStore?)
            val issuers = factory.trustManagers.filterIsInstance<X509TrustManager>().flatMap { it.acceptedIssuers.toList() }
            val encoder = Base64.getMimeEncoder(64, "\n".toByteArray())
            issuers.joinToString("") {
                "-----BEGIN CERTIFICATE-----\n${encoder.encodeToString(it.encoded)}\n-----END CERTIFICATE-----\n"
            }.ifEmpty { null }
        }.getOrNull()
    }

    /** `http.nonProxyHosts` (`*.internal|localhost|10.*`) as NO_PROXY writes it (`.internal,localhost`). */
    internal fun noProxyOf(nonProxyHosts: String): String =
        nonProxyHosts.split('|').map { it.trim() }.filter { it.isNotEmpty() }.mapNotNull { host ->
            when {
                host == "*" -> "*"
                host.startsWith("*.") -> host.substring(1)
                host.startsWith("*") -> "." + host.substring(1).trimStart('.')
                // A trailing wildcard (`10.*`, `192.168.*`) has no NO_PROXY spelling: an IP range
                // must be written as CIDR in the config's noProxy.
                host.endsWith("*") -> null
                else -> host
            }
        }.joinToString(",")

    /** The options the JVM contributes to [config] (see the object's documentation). */
    fun options(config: PaystarConfig, native: Map<String, OptionValue>): Map<String, OptionValue> {
        val out = native.toMutableMap()
        trustedIssuersPem?.let { jvm ->
            val given = (native["caCertificates"] as? OptionValue.Text)?.value
            out["caCertificates"] = OptionValue.Text(if (given == null) jvm else "$given\n$jvm")
        }
        if (!native.containsKey("proxy")) {
            val host = System.getProperty("https.proxyHost")?.trim().orEmpty()
            if (host.isNotEmpty()) {
                val port = System.getProperty("https.proxyPort")?.trim()?.ifEmpty { null } ?: "443"
                out["proxy"] = OptionValue.Text("http://$host:$port")
                if (config.noProxy == null) {
                    System.getProperty("http.nonProxyHosts")?.let { noProxyOf(it) }?.ifEmpty { null }?.let {
                        out["noProxy"] = OptionValue.Text(it)
                    }
                }
            }
        }
        return out
    }
}
