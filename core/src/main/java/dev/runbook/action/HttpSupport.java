package dev.runbook.action;

import dev.runbook.model.Durations;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What {@link HttpAction} and {@link NotifyAction} share: the JDK client, a body reader
 * that keeps a bounded number of bytes, and one-line error descriptions.
 */
final class HttpSupport {

    /** The longest connect timeout, whatever the step's timeout (10 s). */
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private HttpSupport() {}

    /**
     * A new client: HTTP/1.1 or 2, redirects followed except HTTPS to HTTP, connect timeout
     * {@code min(10 s, timeout)}.
     *
     * @param insecure true to accept any certificate chain (see {@link HttpAction})
     * @param timeout the attempt's timeout
     */
    static HttpClient client(boolean insecure, Duration timeout) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(min(MAX_CONNECT_TIMEOUT, timeout));
        if (insecure) {
            b.sslContext(trustAll());
        }
        return b.build();
    }

    /** The smaller of two durations, at least 1 ms. */
    static Duration min(Duration a, Duration b) {
        Duration m = a.compareTo(b) <= 0 ? a : b;
        return m.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : m;
    }

    /**
     * A TLS context that accepts every certificate chain. The trust manager is a plain
     * {@link X509TrustManager}, not an {@code X509ExtendedTrustManager}: JSSE then wraps it
     * and still checks the host name against the certificate when the client asks for it,
     * which the JDK HTTP client does unless the system property
     * {@code jdk.internal.httpclient.disableHostnameVerification} is set.
     */
    private static SSLContext trustAll() {
        TrustManager tm = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // trust everything: the step asked for insecure
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // trust everything: the step asked for insecure
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS support in this JVM", e);
        }
    }

    /** A body read up to a limit: the bytes kept, and whether more was sent. */
    record Body(byte[] bytes, boolean truncated) {}

    /**
     * A body handler that keeps at most {@code limit} bytes; past it, it stops reading
     * (cancels the subscription, which closes the connection) and marks the body truncated.
     */
    static HttpResponse.BodyHandler<Body> capped(int limit) {
        return info -> new CappedSubscriber(limit);
    }

    private static final class CappedSubscriber implements HttpResponse.BodySubscriber<Body> {
        private final int limit;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedSubscriber(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<Body> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer bb : items) {
                int room = limit - buf.size();
                int n = Math.min(room, bb.remaining());
                byte[] chunk = new byte[n];
                bb.get(chunk);
                buf.write(chunk, 0, n);
                if (bb.hasRemaining()) {
                    result.complete(new Body(buf.toByteArray(), true));
                    subscription.cancel();
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(new Body(buf.toByteArray(), false));
        }
    }

    /**
     * Why a request got no usable answer.
     *
     * @param timedOut true when a timeout (connect, or the whole exchange) ended it
     * @param reason a few words without any URL: {@code connect timed out},
     *     {@code no answer within 30s}, {@code connection refused}…
     */
    record Failure(boolean timedOut, String reason) {}

    /** The answer of {@link #send}: a response, or why there is none (exactly one is set). */
    record Exchange(HttpResponse<Body> response, Failure failure) {}

    /**
     * Sends a request and waits for the whole answer (body capped at {@code limit} bytes)
     * at most {@code timeout}; an interrupt cancels the request.
     *
     * @throws InterruptedException when cancelled (Ctrl-C)
     */
    static Exchange send(HttpClient client, HttpRequest request, int limit, Duration timeout)
            throws InterruptedException {
        CompletableFuture<HttpResponse<Body>> future = client.sendAsync(request, capped(limit));
        try {
            return new Exchange(future.get(timeout.toNanos(), TimeUnit.NANOSECONDS), null);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Exchange(null, new Failure(true, "no complete answer within " + Durations.format(timeout)));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                return new Exchange(null, new Failure(true, "connect timed out"));
            }
            if (cause instanceof HttpTimeoutException) {
                return new Exchange(null, new Failure(true, "no answer within " + Durations.format(timeout)));
            }
            return new Exchange(null, new Failure(false, reason(cause)));
        }
    }

    /**
     * Why a request failed, in a few words and without any URL: {@code connection refused},
     * {@code unknown host}, {@code TLS handshake failed: …}.
     */
    static String reason(Throwable t) {
        // The JDK client wraps an unresolved address in a ConnectException: look for it first.
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                String msg = c.getMessage();
                return msg == null || msg.toLowerCase(java.util.Locale.ROOT).contains("refused")
                        ? "connection refused"
                        : "cannot connect: " + firstLine(msg);
            }
            if (c instanceof SSLHandshakeException) {
                return "TLS handshake failed: " + firstLine(c.getMessage());
            }
            if (c instanceof SSLException) {
                return "TLS error: " + firstLine(c.getMessage());
            }
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + firstLine(msg));
    }

    /** The first line of a text; {@code ""} for null. */
    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
