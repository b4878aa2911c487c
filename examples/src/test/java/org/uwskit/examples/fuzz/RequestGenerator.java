package org.uwskit.examples.fuzz;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Makes requests for the example server from a {@link Random}: every resource of a job list and of a job (and some
 * that do not exist), every method, odd query strings, {@code Accept}, {@code Content-Type}, {@code Authorization},
 * {@code Origin}, {@code Host} and {@code Range} headers from valid to malformed, and urlencoded, multipart, JSON and
 * garbage bodies. Only loopback URLs appear in values (a by-reference parameter must never reach another host).
 * The same {@link Random} state gives the same request (apart from the job ids drawn from the pool, which follow the
 * jobs the server has at that moment). Thread-safe if the pool function is.
 */
final class RequestGenerator {
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");
    private static final int[] METHOD_WEIGHTS = {30, 25, 10, 8, 11, 8, 8};

    static final List<String> JOB_RESOURCES = List.of("", "/phase", "/parameters", "/parameters/SECONDS",
            "/parameters/MESSAGE", "/parameters/FILE", "/parameters/t1", "/parameters/nosuch", "/results",
            "/results/result", "/results/nosuch", "/error", "/quote", "/executionduration", "/destruction", "/owner",
            "/provenance", "/nosuch", "/", "/phase/", "/results/result/x");
    static final List<String> LIST_RESOURCES = List.of("/uws/demo", "/uws/wordcount", "/tap/async", "/uws/async",
            "/tap/demo", "/uws/nosuch", "/uws", "/uws/", "/", "/provsap", "/uws/uws.xsl", "/tap/uws.xsl", "/uws.xsl",
            "/favicon.ico", "/uws/demo/", "/uws/demo/nosuchjob", "/uws/demo/nosuchjob/phase", "/tap",
            "/uws/wordcount/nosuchjob/results");
    static final List<String> ODD_TARGETS = List.of("//uws//demo", "/uws/demo/%2e%2e/", "/uws/%64emo", "/uws/demo/%00",
            "/uws/demo/\u00fc\u00f1\u00ef", "/uws/demo/..%2f..%2fetc%2fpasswd", "/uws/demo/%zz", "*",
            "http://evil.example/uws/demo", "/uws/demo;jsessionid=x", "/uws/demo/a%2Fb", "/%2e%2e/%2e%2e/",
            "/uws/demo/" + "x".repeat(3000), "/uws/demo?", "/uws/demo#frag", "/provsap/x");

    static final List<String> ACCEPTS = List.of("*/*", "application/xml", "application/json", "text/html", "text/plain",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ";", ",;", "text/html,;", ",", "",
            "application/json;q=0", "image/png", "application/xml;q=abc", "*/*;q=0.5, application/json",
            "application/x-votable+xml", "text/provenance-notation", "image/svg+xml", "text/*", "application/*",
            "*/json", "application/json; charset=utf-8", "text/xml;q=1.5", "\u00e9t\u00e9/*", "a/b/c", "*",
            "application/xml;;;q=0.3,,,text/plain", "text/html;level=1;q=0.2, */*;q=0.1");
    static final List<String> GARBAGE_AUTH = List.of("Basic !!!", "Basic =", "Basic a b", "Basic", "Basic ",
            "Bearer abc.def.ghi", "Digest username=\"x\"", "basic YWxpY2U6d29uZGVybGFuZA==", "Basic " + b64("nocolon"),
            "Basic " + b64(":"), "Basic " + b64("alice:"), "Basic " + b64(":wonderland"), "Basic \u00e9\u00e9",
            "Basic " + "A".repeat(5000), "Basic YWxpY2U6d29uZGVybGFuZA", "Basic YWxp Y2U6", "Negotiate",
            "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, ':', (byte) 0xc3}));
    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/json", "application/octet-stream",
            ";;;", "", "multipart/form-data", "multipart/form-data; boundary=", "multipart/mixed; boundary=x",
            "application/x-www-form-urlencoded; charset=bogus-charset",
            "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/xml", "text/html", "image/png",
            "application/x-www-form-urlencoded;;;", "APPLICATION/X-WWW-FORM-URLENCODED");
    static final List<String> HOSTS = List.of("evil.example", "", "evil.example:99999", "[::1]:1", "a b",
            "\u00fc\u00f1\u00ef.example", "127.0.0.1:1", "x".repeat(2000), "localhost");
    static final List<String> ORIGINS = List.of("http://evil.example", "null", "garbage", "https://127.0.0.1",
            "http://127.0.0.1:1");
    static final List<String> RANGES = List.of("bytes=0-10", "bytes=5-", "bytes=-3", "bytes=10-5", "bytes=abc",
            "bytes=0-0,2-3", "bytes=99999999-", "items=0-1", "bytes=-0", "bytes=0-99999999999999999999");

    private static final List<String> QUERY_PARTS = List.of("PHASE=RUN", "PHASE=ABORT", "PHASE=PENDING",
            "PHASE=EXECUTING", "PHASE=COMPLETED", "PHASE=ARCHIVED", "PHASE=SIDEWAYS", "PHASE=", "phase=run",
            "PHASE=RUN%00", "WAIT=0", "WAIT=abc", "WAIT=-2", "WAIT=1.5", "WAIT=99999999999999999999", "WAIT=",
            "WAIT=%D9%A3", "LAST=1", "LAST=0", "LAST=-1", "LAST=abc", "LAST=%D9%A3", "LAST=2147483648", "LAST=",
            "AFTER=2024-01-01T00:00:00Z", "AFTER=garbage", "AFTER=", "FORMAT=json", "FORMAT=xml", "FORMAT=html",
            "FORMAT=pdf", "FORMAT=provn", "FORMAT=dot", "FORMAT=svg", "FORMAT=votable", "FORMAT=", "ACTION=DELETE",
            "ID=nosuchjob", "DEPTH=1", "DEPTH=ALL", "DEPTH=-3", "DEPTH=x", "DIRECTION=BACK", "DIRECTION=FORTH",
            "DIRECTION=BOTH", "DIRECTION=UP", "%zz", "=", "&&", "a=%", "%", "=x", ";", "x=1;y=2", "a[]=1", "a=%00",
            "A=" + "a".repeat(5000), "RUNID=%E9", "EXECUTIONDURATION=1", "DESTRUCTION=2030-01-01T00:00:00Z");
    private static final List<String> FORM_PARTS = List.of("PHASE=RUN", "PHASE=ABORT", "PHASE=garbage", "PHASE=",
            "ACTION=DELETE", "ACTION=garbage", "SECONDS=0", "SECONDS=0.01", "SECONDS=0.2", "SECONDS=abc",
            "SECONDS=-1", "SECONDS=1e400", "SECONDS=NaN", "SECONDS=Infinity", "SECONDS=", "SECONDS=%D9%A3",
            "SECONDS=1d", "FAIL=true", "FAIL=false", "FAIL=yes", "MESSAGE=hello", "MESSAGE=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "MESSAGE=%C3%BC%C3%B1%C3%AF", "MESSAGE=%C3%28", "RUNID=fuzz", "RUNID=", "EXECUTIONDURATION=10",
            "EXECUTIONDURATION=0", "EXECUTIONDURATION=-1", "EXECUTIONDURATION=3600.0", "EXECUTIONDURATION=abc",
            "EXECUTIONDURATION=99999999999999999999", "DESTRUCTION=2030-01-01T00:00:00Z", "DESTRUCTION=garbage",
            "DESTRUCTION=2030-01-01", "DESTRUCTION=", "QUOTE=1", "UPLOAD=t1,param:t1", "UPLOAD=garbage",
            "FILE=http://127.0.0.1:1/x", "INPUT=http://127.0.0.1:1/y", "%zz=1", "a=%", "=&=", "&&&", "a=b=c", "+",
            "x", "LANG=ADQL", "QUERY=select+1", "REQUEST=doQuery", "%00=%00");

    private final String hostPort;
    private final Function<Random, String> jobPath;
    private final List<String> validAuthorizations;

    /**
     * @param hostPort            the server's {@code host:port}, the {@code Host} header of most requests
     * @param jobPath             draws the path of an existing job ({@code /uws/demo/<id>}) from the pool
     * @param validAuthorizations {@code Authorization} values the server accepts (empty for an anonymous server)
     */
    RequestGenerator(String hostPort, Function<Random, String> jobPath, List<String> validAuthorizations) {
        this.hostPort = hostPort;
        this.jobPath = jobPath;
        this.validAuthorizations = validAuthorizations;
    }

    FuzzRequest next(Random r) {
        String method = METHODS.get(weighted(r, METHOD_WEIGHTS));
        String template;
        String target;
        int where = r.nextInt(100);
        if (where < 60) {
            String job = jobPath.apply(r);
            String sub = pick(r, JOB_RESOURCES);
            template = job.substring(0, job.lastIndexOf('/') + 1) + "{job}" + sub;
            target = job + sub;
        } else if (where < 88) {
            template = pick(r, LIST_RESOURCES);
            target = template;
        } else {
            template = pick(r, ODD_TARGETS);
            target = template;
        }
        if (r.nextInt(100) < 45 && !target.contains("?")) {
            StringBuilder q = new StringBuilder();
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                q.append(i == 0 ? '?' : '&').append(pick(r, QUERY_PARTS));
            }
            if (r.nextInt(20) == 0) {
                q.append("&WAIT=1"); // a short real wait, now and then
            }
            if (template.equals("/provsap") && r.nextBoolean()) {
                q.append("&ID=").append(URLEncoder.encode("http://" + hostPort + jobPath.apply(r), StandardCharsets.UTF_8));
            }
            target += q;
        }

        List<String[]> headers = new ArrayList<>();
        int host = r.nextInt(100);
        if (host < 86) {
            headers.add(new String[] {"Host", hostPort});
        } else if (host < 98) {
            headers.add(new String[] {"Host", pick(r, HOSTS)});
        } else if (host < 99) {
            headers.add(new String[] {"Host", hostPort});
            headers.add(new String[] {"Host", "evil.example"});
        } // else: no Host at all
        int auth = r.nextInt(100);
        if (!validAuthorizations.isEmpty() && auth < 60) {
            headers.add(new String[] {"Authorization", pick(r, validAuthorizations)});
        } else if (auth < 75) {
            headers.add(new String[] {"Authorization", r.nextBoolean() ? pick(r, GARBAGE_AUTH)
                    : "Basic " + b64(pick(r, List.of("alice", "bob", "root", "nobody")) + ":wrong")});
        }
        if (r.nextInt(100) < 70) {
            headers.add(new String[] {"Accept", pick(r, ACCEPTS)});
        }
        if (r.nextInt(100) < 25) {
            String origin = r.nextBoolean() ? "http://" + hostPort : pick(r, ORIGINS);
            headers.add(new String[] {"Origin", origin});
        }
        if (r.nextInt(100) < 5) {
            headers.add(new String[] {"Sec-Fetch-Site", pick(r, List.of("cross-site", "same-origin", "none", "??"))});
        }
        if (r.nextInt(100) < 4) {
            headers.add(new String[] {"X-Forwarded-Host", "evil.example"});
            headers.add(new String[] {"X-Forwarded-Proto", pick(r, List.of("https", "gopher", ""))});
        }
        if (r.nextInt(100) < 10) {
            headers.add(new String[] {"Range", pick(r, RANGES)});
        }
        if (r.nextInt(100) < 3) {
            headers.add(new String[] {"Accept-Charset", pick(r, List.of("ISO-8859-1", "bogus", "*;q=0"))});
        }
        if (r.nextInt(200) == 0) {
            headers.add(new String[] {"X-" + "H".repeat(20), "v".repeat(10_000)});
        }
        return withBody(r, method, target, headers, template);
    }

    private FuzzRequest withBody(Random r, String method, String target, List<String[]> headers, String template) {
        boolean bodyMethod = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        int kind = r.nextInt(100);
        if (!bodyMethod && kind < 80 || bodyMethod && kind < 12) {
            return new FuzzRequest(method, target, List.copyOf(headers), null, template, "none");
        }
        kind = r.nextInt(100);
        byte[] body;
        String contentType;
        String bodyKind;
        if (kind < 45) {
            body = urlencoded(r).getBytes(StandardCharsets.ISO_8859_1);
            contentType = r.nextInt(10) < 8 ? "application/x-www-form-urlencoded" : pick(r, CONTENT_TYPES);
            bodyKind = "urlencoded";
        } else if (kind < 75) {
            String boundary = "fuzz" + Long.toHexString(r.nextLong());
            body = multipart(r, boundary);
            int ct = r.nextInt(10);
            contentType = ct < 8 ? "multipart/form-data; boundary=" + boundary
                    : ct == 8 ? "multipart/form-data; boundary=other" : "multipart/form-data";
            bodyKind = "multipart";
        } else if (kind < 82) {
            body = pick(r, List.of("{\"PHASE\":\"RUN\"}", "{", "[]", "null", "{\"a\":" + "[".repeat(2000) + "}"))
                    .getBytes(StandardCharsets.UTF_8);
            contentType = r.nextBoolean() ? "application/json" : pick(r, CONTENT_TYPES);
            bodyKind = "json";
        } else if (kind < 90) {
            body = pick(r, List.of("RUN", "ABORT", "caf\u00e9", "", "x".repeat(70_000))).getBytes(StandardCharsets.UTF_8);
            contentType = pick(r, List.of("text/plain", "text/plain; charset=UTF-8", "application/octet-stream", ""));
            bodyKind = "raw text";
        } else {
            body = new byte[r.nextInt(2000)];
            r.nextBytes(body);
            contentType = pick(r, CONTENT_TYPES);
            bodyKind = "garbage";
        }
        if (!contentType.isEmpty() || r.nextBoolean()) {
            headers.add(new String[] {"Content-Type", contentType});
        }
        return new FuzzRequest(method, target, List.copyOf(headers), body, template, bodyKind);
    }

    private static String urlencoded(Random r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                s.append('&');
            }
            s.append(pick(r, FORM_PARTS));
        }
        if (r.nextInt(50) == 0) {
            s.append("&MESSAGE=").append("m".repeat(20_000 + r.nextInt(1_100_000)));
        }
        return s.toString();
    }

    private static byte[] multipart(Random r, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = r.nextInt(4);
        for (int i = 0; i < parts; i++) {
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
            int kind = r.nextInt(10);
            if (kind < 5) {
                String[] kv = pick(r, FORM_PARTS).split("=", 2);
                out.writeBytes(("Content-Disposition: form-data; name=\"" + kv[0] + "\"\r\n\r\n"
                        + (kv.length > 1 ? kv[1] : "") + "\r\n").getBytes(StandardCharsets.UTF_8));
            } else if (kind < 9) {
                String name = pick(r, List.of("FILE", "t1", "data", "UPLOAD", ""));
                String type = pick(r, List.of("text/html", "image/svg+xml", "application/octet-stream",
                        "text/plain", "application/x-votable+xml", ""));
                byte[] data = new byte[r.nextInt(10) == 0 ? 200_000 : r.nextInt(3000)];
                r.nextBytes(data);
                out.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"f"
                        + pick(r, List.of(".html", ".svg", ".bin", "\u00e9.txt", "/../../x")) + "\"\r\n"
                        + (type.isEmpty() ? "" : "Content-Type: " + type + "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.writeBytes(data);
                out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes(pick(r, List.of("no headers at all\r\n", "Content-Disposition: form-data\r\n\r\nx\r\n",
                        "Content-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n")).getBytes(StandardCharsets.UTF_8));
            }
        }
        if (r.nextInt(8) != 0) {
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static <T> T pick(Random r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    private static int weighted(Random r, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
