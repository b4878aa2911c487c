/**
 * JMH benchmarks of uwskit. Each benchmark class measures a uwskit operation and, in the same run and the same JVM
 * fork, a baseline that does the same work without uwskit (raw StAX, raw Jackson, a plain list scan, raw store
 * calls), so that the figures are read as a ratio rather than as absolute numbers from a busy machine.
 *
 * <p>The method, the commands and the figures measured are in {@code BENCHMARKS.md} at the repository root. Nothing
 * here runs during the Maven build: the build compiles the benchmarks, runs one smoke test per class (each benchmark
 * body once, on small inputs, checking its output) and packages {@code benchmarks/target/benchmarks.jar}, whose main
 * class is JMH's {@code org.openjdk.jmh.Main}.
 *
 * <p>Benchmark state classes are not thread-safe beyond what JMH's {@code Scope} annotations declare; the benchmark
 * methods are public only because JMH requires it.
 */
package org.uwskit.benchmarks;
