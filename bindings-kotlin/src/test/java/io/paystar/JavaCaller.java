package io.paystar;

import io.paystar.ffi.ClientUser;
import io.paystar.ffi.CustomerSessionRequest;

/** A Java backend's call through the blocking API (compiled in the build, run by ClientTest). */
public final class JavaCaller {
    public static String walletUrl(String baseUrl, String apiKey) {
        try (PaystarClient client = new PaystarClient(new PaystarConfig(apiKey, null, baseUrl))) {
            ClientUser user = new ClientUser("jane@example.com", null, null);
            return client.createWalletSessionBlocking(new CustomerSessionRequest("acme-utilities", user, null)).getUrl();
        } catch (PaystarException e) {
            throw new IllegalStateException(e.getCode() + ": " + e.getMessage(), e);
        }
    }
}
