package io.paystar.example.spring

import io.paystar.MockGateway
import io.paystar.PaystarClient
import io.paystar.PaystarConfig
import io.paystar.webhooks.DedupeStore
import io.paystar.webhooks.MemoryDedupeStore
import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.WebhookVerifier
import org.slf4j.LoggerFactory
import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.boot.context.properties.EnableConfigurationProperties
import org.springframework.boot.runApplication
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import java.security.SecureRandom
import java.time.Duration

/** The checkout: `GET /pay`, `POST /paystar/webhook`, `GET /paid` ([CheckoutController]). */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(PaystarProperties::class)
class CheckoutApplication

/** Runs the checkout (`mvn spring-boot:run`, or `java -jar` of the packaged app). */
fun main(args: Array<String>) {
    runApplication<CheckoutApplication>(*args)
}

/** `paystar.*` from application.properties (each read from the environment there). */
@ConfigurationProperties("paystar")
class PaystarProperties(
    val apiKey: String,
    val environment: String,
    val baseUrl: String,
    val webhookSecrets: String,
    val dev: Boolean,
    val businessUnit: String,
    val publicUrl: String,
) {
    override fun toString() =
        "PaystarProperties(apiKey=${if (apiKey.isEmpty()) "unset" else "***"}, environment=$environment, " +
            "baseUrl=$baseUrl, webhookSecrets=${if (webhookSecrets.isEmpty()) "unset" else "***"}, dev=$dev)"
}

/** The secrets webhooks are verified with (the new one first while rotating). Never printed. */
class WebhookSecrets(val values: List<String>) {
    override fun toString() = "WebhookSecrets(${values.size} secrets)"
}

/**
 * The library's objects as beans: one [PaystarClient] for the process (thread-safe), the
 * [WebhookVerifier] with this account's scheme, and the dedupe store the endpoint remembers
 * handled events in.
 */
@Configuration(proxyBeanMethods = false)
class PaystarBeans {
    private val log = LoggerFactory.getLogger(PaystarBeans::class.java)

    /** Fails closed: outside development the key and the webhook secrets must be set. */
    @Bean
    fun webhookSecrets(p: PaystarProperties): WebhookSecrets {
        val missing = listOf("PAYSTAR_API_KEY" to p.apiKey, "PAYSTAR_WEBHOOK_SECRETS" to p.webhookSecrets)
            .filter { it.second.isEmpty() }
            .map { it.first }
        check(missing.isEmpty() || p.dev) {
            "checkout: ${missing.joinToString()} not set; refusing to start " +
                "(set them, or PAYSTAR_DEV=1 for local development on the mock)"
        }
        if (p.webhookSecrets.isNotEmpty()) return WebhookSecrets(p.webhookSecrets.split(",").map { it.trim() })
        log.warn("development mode, no PAYSTAR_WEBHOOK_SECRETS: a random webhook secret for this run")
        val random = ByteArray(16).also { SecureRandom().nextBytes(it) }.joinToString("") { "%02x".format(it) }
        return WebhookSecrets(listOf(random))
    }

    /**
     * What this account's webhooks carry. Paystar documents no signing scheme: this is whatever
     * was agreed with Paystar (docs/webhooks.md). A timestamped scheme refuses a captured
     * delivery replayed after 5 minutes.
     */
    @Bean
    fun webhookVerifier(secrets: WebhookSecrets): WebhookVerifier = WebhookVerifier(
        WebhookScheme.HMAC_SHA256, secrets.values,
        header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp",
    )

    /** One process's memory; several instances need a shared store (`RedisDedupeStore`). */
    @Bean(destroyMethod = "close")
    fun dedupeStore(): DedupeStore = MemoryDedupeStore()

    /**
     * The client: Paystar's gateway with `PAYSTAR_API_KEY` (and `PAYSTAR_ENVIRONMENT`), any
     * gateway with `PAYSTAR_BASE_URL` (`paystar mock`), and in development without a key the
     * embedded mock, which delivers signed webhooks to this app when a session is paid on its
     * page (and says so in the log).
     */
    @Bean(destroyMethod = "close")
    fun paystarClient(p: PaystarProperties, secrets: WebhookSecrets): PaystarClient {
        if (p.apiKey.isNotEmpty()) {
            return PaystarClient(
                PaystarConfig(
                    apiKey = p.apiKey.ifEmpty { null },
                    environment = if (p.baseUrl.isEmpty()) p.environment else null,
                    baseUrl = p.baseUrl.ifEmpty { null },
                    timeout = Duration.ofSeconds(10),
                    userAgentSuffix = "acme-checkout-spring/1.0",
                ),
            )
        }
        val mock = MockGateway()
        mock.setWebhook(
            "${p.publicUrl.trimEnd('/')}/paystar/webhook", WebhookScheme.HMAC_SHA256, secrets.values[0],
            header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp",
        )
        log.warn("development mode, no PAYSTAR_API_KEY: the embedded mock gateway at {} plays Paystar", mock.url)
        return mock.client()   // the client keeps the mock running
    }
}
