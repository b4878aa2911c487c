/**
 * The provenance endpoints a Jakarta Servlet container mounts next to the UWS servlet:
 * {@link org.uwskit.prov.servlet.ProvSapServlet}, the ProvSAP-style query across jobs ({@code ID}, {@code DEPTH},
 * {@code DIRECTION}, {@code RESPONSEFORMAT}). The Servlet API is a {@code provided}, optional dependency of uws-prov:
 * only a host that uses this package needs it, and its container supplies it.
 */
package org.uwskit.prov.servlet;
