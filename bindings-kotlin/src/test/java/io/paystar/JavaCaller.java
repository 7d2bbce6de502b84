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
        try (PaystarClient client = new PaystarClient(new PaystarConfig(apiKey, null, baseUrl))) {
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
}
