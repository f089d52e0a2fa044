package io.bpfstore.registry.server;

import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.store.image.SearchQuery;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.StoredBlob;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics} of the registry, in the Prometheus text format, and the request counts and latencies behind
 * it: a handler wrapped around the registry's own, timing every request from arrival to completion by route (a
 * small fixed set, so label values stay few: {@code blob}, {@code manifest}, {@code upload}, {@code tags},
 * {@code catalog}, {@code v2}, {@code token}, {@code api}, {@code web}, {@code metrics}) and status; plus the
 * packages in the catalog and the bytes of stored blobs, read at each scrape.
 */
final class RegistryMetrics extends Handler.Wrapper {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;

    RegistryMetrics(Handler inner, PackageIndex packages, BlobStore blobs) {
        super(inner);
        requests = Counter.builder().name("bpfstore_registry_requests_total")
                .help("Requests the registry answered, by route and status").labelNames("route", "method", "status")
                .register(registry);
        latency = Histogram.builder().name("bpfstore_registry_request_duration_seconds").unit(Unit.SECONDS)
                .help("Time from a request's arrival to its response's completion, by route")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("route").register(registry);
        registry.register(new Catalog(packages, blobs));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String path = Request.getPathInContext(request);
        String route = route(path);
        Callback timed = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                record(route, request.getMethod(), response.getStatus(), start);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                record(route, request.getMethod(), 0, start);
                super.failed(x);
            }
        };
        if (path.equals("/metrics")) {
            return serve(request, response, timed);
        }
        return super.handle(request, response, timed);
    }

    private boolean serve(Request request, Response response, Callback callback) throws IOException {
        if (!request.getMethod().equals("GET")) {
            response.setStatus(405);
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            response.write(true, ByteBuffer.allocate(0), callback);
            return true;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writer.write(body, registry.scrape());
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, writer.getContentType());
        response.write(true, ByteBuffer.wrap(body.toByteArray()), callback);
        return true;
    }

    private void record(String route, String method, int status, long start) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        latency.labelValues(route).observe((System.nanoTime() - start) / 1e9);
    }

    /** The route label of a path: a fixed vocabulary, never the path (repository names would make series unbounded). */
    static String route(String path) {
        if (path.equals("/metrics")) {
            return "metrics";
        }
        if (path.equals("/token")) {
            return "token";
        }
        if (path.startsWith("/api/")) {
            return "api";
        }
        if (path.equals("/v2/_catalog")) {
            return "catalog";
        }
        if (path.startsWith("/v2/")) {
            if (path.contains("/blobs/uploads")) {
                return "upload";
            }
            if (path.contains("/blobs/")) {
                return "blob";
            }
            if (path.contains("/manifests/")) {
                return "manifest";
            }
            if (path.endsWith("/tags/list")) {
                return "tags";
            }
            return "v2";
        }
        return path.equals("/v2") ? "v2" : "web";
    }

    /** The catalog's size, read at each scrape. */
    private record Catalog(PackageIndex packages, BlobStore blobs) implements MultiCollector {
        @Override
        public MetricSnapshots collect() {
            long count = packages.search(new SearchQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), 1, 1)).total();
            long bytes;
            try { // the store's own listing: a directory's files or the blobs an OCI store holds
                bytes = blobs.list().stream().mapToLong(StoredBlob::size).sum();
            } catch (IOException e) {
                throw new UncheckedIOException("list the stored blobs", e);
            }
            return MetricSnapshots.of(
                    GaugeSnapshot.builder().name("bpfstore_registry_packages").help("Packages in the catalog")
                            .dataPoint(GaugeDataPointSnapshot.builder().value(count).build()).build(),
                    GaugeSnapshot.builder().name("bpfstore_registry_stored_bytes").unit(Unit.BYTES)
                            .help("Bytes of blobs stored (layers, configs, manifests)")
                            .dataPoint(GaugeDataPointSnapshot.builder().value(bytes).build()).build());
        }
    }
}
