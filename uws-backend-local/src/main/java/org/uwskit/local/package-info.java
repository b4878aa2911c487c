/**
 * Runs UWS jobs on this host: {@link org.uwskit.local.LocalBackend} is an
 * {@link org.uwskit.spi.ExecutionBackend} for Java {@link org.uwskit.local.JobLogic} inside the JVM and for OS
 * processes described by {@link org.uwskit.local.ProcessTemplate}; {@link org.uwskit.local.JobLogicRunner} runs one
 * job of your own logic through the real service and engine, for your tests.
 *
 * <pre>{@code
 * LocalBackend backend = LocalBackend.builder()
 *     .logic("demo", ctx -> { ... })
 *     .process("wc", ProcessTemplate.builder("/usr/bin/wc").arg("-l").argFromUpload("FILE").build())
 *     .threads(8)
 *     .build();
 * Engine engine = Engine.builder(service).backend(backend).build();
 * }</pre>
 *
 * <p>Classes in {@code org.uwskit.local.internal} are implementation details and may change without notice.
 */
package org.uwskit.local;
