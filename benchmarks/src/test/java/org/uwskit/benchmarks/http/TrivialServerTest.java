package org.uwskit.benchmarks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The baseline server answers what the HTTP benchmark sends it: 303 to a form POST, the fixed document to a GET. */
class TrivialServerTest {
    @Test
    void answersPostWith303AndGetWithTheFixedDocument() throws Exception {
        Server jetty = TrivialServer.start(0);
        try {
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            URI uri = URI.create("http://127.0.0.1:" + port + "/uws/demo");
            HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("SECONDS=1")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(303);
            assertThat(post.headers().firstValue("Location")).isPresent();
            HttpResponse<byte[]> get = client.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(TrivialServer.DOCUMENT);
            assertThat(get.headers().firstValue("Server")).isEmpty();
        } finally {
            jetty.stop();
        }
    }
}
