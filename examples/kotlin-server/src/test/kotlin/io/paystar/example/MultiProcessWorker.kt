package io.paystar.example

import io.paystar.MockGateway
import io.paystar.webhooks.RedisDedupeStore
import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.WebhookVerifier
import java.io.File
import java.time.Duration

/**
 * One JVM of the example's webhook endpoint on Redis, for MultiProcessTest: PayServer with a
 * RedisDedupeStore. Arguments: port, Redis URL, handler log, lease (ms). Each handler run appends
 * `start <pid> <key>` and `done <pid> <key>`; the first run of an event whose referenceNumber
 * starts with SLOW sleeps 30 s in between (the test SIGKILLs the JVM there), every other 300 ms.
 */
fun main(args: Array<String>) {
    val (port, redisUrl, log, lease) = args
    val logFile = File(log)
    val verifier = WebhookVerifier(
        WebhookScheme.HMAC_SHA256, listOf("whsk_multiprocess_test"), header = "X-Paystar-Signature",
        timestampHeader = "X-Paystar-Timestamp", lease = Duration.ofMillis(lease.toLong()),
    )
    val store = RedisDedupeStore(redis.clients.jedis.RedisClient.create(java.net.URI.create(redisUrl)))
    val pid = ProcessHandle.current().pid()
    PayServer(MockGateway().client(), port = port.toInt(), verifier = verifier, dedupe = store, handleEvent = { event ->
        val key = event.idempotencyKey
        val first = synchronized(logFile) { logFile.readLines().none { it.endsWith(" $key") } }
        synchronized(logFile) { logFile.appendText("start $pid $key\n") }
        Thread.sleep(if (first && (event.referenceNumber ?: "").startsWith("SLOW")) 30_000 else 300)
        synchronized(logFile) { logFile.appendText("done $pid $key\n") }
    })
    println("listening")
}
