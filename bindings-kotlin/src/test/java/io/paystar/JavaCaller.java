package io.paystar;

import io.paystar.ffi.ClientUser;
import io.paystar.ffi.PaymentSessionRequest;
import java.util.List;

/**
 * A Java backend's calls through the blocking API and the generated builders (compiled in the
 * build, run by ClientTest): no 12-argument constructors with nulls.
 */
public final class JavaCaller {
    public static String walletUrl(String baseUrl, String apiKey) {
        PaystarConfig config = PaystarConfig.builder()
                .apiKey(apiKey)
                .baseUrl(baseUrl)
                .timeout(java.time.Duration.ofSeconds(10))
                .maxRetries(1)
                .build();
        if (config.toString().contains(apiKey) || PaystarConfig.builder().apiKey(apiKey).toString().contains(apiKey)) {
            throw new IllegalStateException("the key was shown");
        }
        try (PaystarClient client = new PaystarClient(config)) {
            ClientUser user = new ClientUserBuilder("jane@example.com").firstName("Jane").build();
            return client.createWalletSessionBlocking(new CustomerSessionRequestBuilder("acme-utilities", user).build()).getUrl();
        } catch (PaystarException e) {
            throw new IllegalStateException(e.getCode() + ": " + e.getMessage(), e);
        }
    }

    public static String paymentKind(String baseUrl, String apiKey) {
        try (PaystarClient client = new PaystarClient(new PaystarConfig(apiKey, null, baseUrl))) {
            PaymentSessionRequest request = new PaymentSessionRequestBuilder(
                    "acme-utilities",
                    "QuickPay",
                    List.of(new ChargeBuilder(15000L)
                            .description("November bill")
                            .clientAccount(new ClientAccountBuilder("ACC-12345").name("Jane Doe").build())
                            .build()))
                    .clientReference("INV-1")
                    .clientUser(new ClientUserBuilder("jane@example.com").build())
                    .build();
            return client.createPaymentSessionBlocking(request).getKind();
        }
    }

    /** The README's Java quick start, verbatim: a payment session on the mock. */
    public static String readmeQuickStart() {
        try (MockGateway gateway = new MockGateway(); PaystarClient client = gateway.client()) {
            var request = new PaymentSessionRequestBuilder("acme-utilities", "QuickPay",
                    List.of(new ChargeBuilder(15000L).description("November bill").build()))
                .clientUser(new ClientUserBuilder("jane@example.com").build())
                .build();
            Session session = client.createPaymentSessionBlocking(request);   // io.paystar.Session
            return session.getUrl();
        }
    }

    /** The Events API from Java: a name change, through the builder. */
    public static String customerUpdate(String baseUrl, String apiKey) {
        try (PaystarClient client = new PaystarClient(new PaystarConfig(apiKey, null, baseUrl))) {
            EventReceipt receipt = client.updateCustomerBlocking(
                new UpdateCustomerRequestBuilder("acme-utilities", "ACC-12345", "Jane", "Smith", "jane@example.com")
                    .subAccountNumber("01")
                    .build());
            return receipt.getEventType() + " " + receipt.getHttpStatus();
        }
    }

    /** A webhook endpoint's logic from Java: verify, de-duplicate, handle once. */
    public static int webhookStatus(byte[] body, java.util.Map<String, java.util.List<String>> headers, java.util.List<String> seen) {
        io.paystar.webhooks.WebhookVerifier verifier = new io.paystar.webhooks.WebhookVerifier(
            io.paystar.ffi.core.WebhookScheme.HMAC_SHA256, java.util.List.of("java-secret"));
        io.paystar.webhooks.MemoryDedupeStore store = new io.paystar.webhooks.MemoryDedupeStore();
        io.paystar.webhooks.WebhookResponse first = verifier.handle(body, headers, store, event -> seen.add(event.getIdempotencyKey()));
        io.paystar.webhooks.WebhookResponse again = verifier.handle(body, headers, store, event -> seen.add("twice"));
        return first.getStatus() * 1000 + again.getStatus();
    }

    /**
     * The same endpoint with headers as Spring's {@code @RequestHeader Map<String, String>} gives
     * them: one value per name, the same {@code handle}.
     */
    public static int webhookStatusSingleValued(byte[] body, java.util.Map<String, String> headers, java.util.List<String> seen) {
        io.paystar.webhooks.WebhookVerifier verifier = new io.paystar.webhooks.WebhookVerifier(
            io.paystar.ffi.core.WebhookScheme.HMAC_SHA256, java.util.List.of("java-secret"));
        io.paystar.webhooks.MemoryDedupeStore store = new io.paystar.webhooks.MemoryDedupeStore();
        io.paystar.webhooks.WebhookResponse first = verifier.handle(body, headers, store, event -> seen.add(event.getIdempotencyKey()));
        io.paystar.webhooks.WebhookResponse again = verifier.handle(body, headers, store, event -> seen.add("twice"));
        io.paystar.webhooks.WebhookEvent event = verifier.verify(body, headers);   // and verify, by the same name
        if (!event.getIdempotencyKey().equals(seen.get(0))) throw new IllegalStateException(event.toString());
        return first.getStatus() * 1000 + again.getStatus();
    }

    /** The same endpoint given a servlet-style lookup ({@code request::getHeader}). */
    public static int webhookStatusLookedUp(byte[] body, java.util.function.Function<String, String> getHeader, java.util.List<String> seen) {
        io.paystar.webhooks.WebhookVerifier verifier = new io.paystar.webhooks.WebhookVerifier(
            io.paystar.ffi.core.WebhookScheme.HMAC_SHA256, java.util.List.of("java-secret"));
        io.paystar.webhooks.MemoryDedupeStore store = new io.paystar.webhooks.MemoryDedupeStore();
        io.paystar.webhooks.WebhookResponse first = verifier.handle(body, getHeader::apply, store, event -> seen.add(event.getIdempotencyKey()));
        io.paystar.webhooks.WebhookResponse again = verifier.handle(body, getHeader::apply, store, event -> seen.add("twice"));
        verifier.verify(body, getHeader::apply);
        return first.getStatus() * 1000 + again.getStatus();
    }

    /** A test that plays the customer from Java: the mock completes a session given as it was returned. */
    public static int completeFromJava() {
        try (MockGateway gateway = new MockGateway(); PaystarClient client = gateway.client()) {
            Session session = client.createPaymentSessionBlocking(new PaymentSessionRequestBuilder("acme-utilities", "QuickPay",
                    java.util.List.of(new ChargeBuilder(15000L).description("bill").build())).build());
            return gateway.completeBlocking(session).getDeliveries().size();
        }
    }

    /** The headers a sender attaches, from Java. */
    public static java.util.Map<String, String> sign(byte[] body) {
        return io.paystar.webhooks.Webhooks.sign(body, io.paystar.ffi.core.WebhookScheme.HMAC_SHA256, "java-secret");
    }
}
