/**
 * The Java parts of the HTTP benchmark ({@code benchmarks/http/run.sh}, method and figures in {@code BENCHMARKS.md},
 * section HTTP): {@link org.uwskit.benchmarks.http.TrivialServer}, the physical-limit baseline (a trivial servlet in
 * the example server's Jetty with its connector settings), and {@link org.uwskit.benchmarks.http.HttpBench}, the
 * clients that fill job lists, time GETs of one URL, hold thousands of blocking WAIT requests and time how soon a
 * waiter returns after a phase change. Load for rates and latencies comes from {@code wrk}, not from here.
 *
 * <p>Tools, not library code: single-threaded command-line classes unless a class says otherwise.
 */
package org.uwskit.benchmarks.http;
