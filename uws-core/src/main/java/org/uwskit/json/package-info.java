/**
 * A JSON representation of UWS documents: {@link org.uwskit.json.UwsJson}, media type {@code application/json}.
 *
 * <p>UWS 1.1 defines only XML; this format carries the same content for platforms that prefer JSON (ESAP-style
 * science platforms, web front ends). Field names are the XML element and attribute names in camelCase. Every
 * field listed is always present; absent values are JSON {@code null} (never omitted). Instants are strings in the
 * same form as in the XML: ISO 8601, UTC, millisecond precision, with {@code Z} ({@code 2026-11-21T09:30:00.000Z}).
 * Strings keep every character (JSON escapes control characters), except unpaired UTF-16 surrogates, which become
 * U+FFFD; the XML replaces control characters too, so the two can differ only there.
 *
 * <h2>Job ({@code GET /{jobs}/{job-id}})</h2>
 * <table>
 *   <caption>Fields of the job object</caption>
 *   <tr><th>field</th><th>JSON type</th><th>XML counterpart</th><th>meaning</th></tr>
 *   <tr><td>version</td><td>string</td><td>{@code @version}</td><td>always {@code "1.1"}</td></tr>
 *   <tr><td>jobId</td><td>string</td><td>jobId</td><td>the job identifier</td></tr>
 *   <tr><td>runId</td><td>string or null</td><td>runId</td><td>the client's run id</td></tr>
 *   <tr><td>ownerId</td><td>string or null</td><td>ownerId</td><td>the owner; null for an anonymous job</td></tr>
 *   <tr><td>phase</td><td>string</td><td>phase</td><td>one of the ten UWS phase names</td></tr>
 *   <tr><td>quote</td><td>instant or null</td><td>quote</td><td>predicted completion; null if unknown</td></tr>
 *   <tr><td>creationTime</td><td>instant</td><td>creationTime</td><td>when the job was created</td></tr>
 *   <tr><td>startTime</td><td>instant or null</td><td>startTime</td><td>when execution began</td></tr>
 *   <tr><td>endTime</td><td>instant or null</td><td>endTime</td><td>when execution ended</td></tr>
 *   <tr><td>executionDuration</td><td>integer</td><td>executionDuration</td><td>maximum seconds of execution; 0 means
 *       unlimited (not capped to 32 bits, unlike the XML's {@code xs:int})</td></tr>
 *   <tr><td>destruction</td><td>instant or null</td><td>destruction</td><td>when the job will be destroyed; null for
 *       never</td></tr>
 *   <tr><td>parameters</td><td>array of parameter</td><td>parameters</td><td>one entry per value, in order</td></tr>
 *   <tr><td>results</td><td>array of result</td><td>results</td><td>in the order produced; may be empty</td></tr>
 *   <tr><td>errorSummary</td><td>object or null</td><td>errorSummary</td><td>why the job failed</td></tr>
 *   <tr><td>jobInfo</td><td>object (string values)</td><td>jobInfo</td><td>implementation facts, key to value, in
 *       insertion order; {@code {}} when there are none. Keys are kept as they are (the XML makes them element
 *       names)</td></tr>
 * </table>
 *
 * <h2>Parameter</h2>
 * <table>
 *   <caption>Fields of a parameter object</caption>
 *   <tr><th>field</th><th>JSON type</th><th>XML counterpart</th><th>meaning</th></tr>
 *   <tr><td>id</td><td>string</td><td>{@code @id}</td><td>the parameter name as the client sent it</td></tr>
 *   <tr><td>value</td><td>string</td><td>content</td><td>the value; when {@code byReference}, a URL: for an inline
 *       upload the URL at which the service serves it ({@code …/parameters/{name}}), otherwise the URI the client
 *       gave</td></tr>
 *   <tr><td>byReference</td><td>boolean</td><td>{@code @byReference}</td><td>whether {@code value} refers to the
 *       value</td></tr>
 * </table>
 *
 * <h2>Result</h2>
 * <table>
 *   <caption>Fields of a result object</caption>
 *   <tr><th>field</th><th>JSON type</th><th>XML counterpart</th><th>meaning</th></tr>
 *   <tr><td>id</td><td>string</td><td>{@code @id}</td><td>unique within the job</td></tr>
 *   <tr><td>href</td><td>string</td><td>{@code @xlink:href}</td><td>where to fetch it: {@code …/results/{id}} for
 *       results the service stores, the external location otherwise</td></tr>
 *   <tr><td>mimeType</td><td>string or null</td><td>{@code @mime-type}</td><td>the MIME type if known</td></tr>
 *   <tr><td>size</td><td>integer or null</td><td>{@code @size}</td><td>bytes, if known</td></tr>
 * </table>
 *
 * <h2>Error summary</h2>
 * <table>
 *   <caption>Fields of the errorSummary object</caption>
 *   <tr><th>field</th><th>JSON type</th><th>XML counterpart</th><th>meaning</th></tr>
 *   <tr><td>type</td><td>string</td><td>{@code @type}</td><td>{@code "fatal"} or {@code "transient"}</td></tr>
 *   <tr><td>hasDetail</td><td>boolean</td><td>{@code @hasDetail}</td><td>whether {@code /error} has more</td></tr>
 *   <tr><td>message</td><td>string</td><td>message</td><td>a short message for the client</td></tr>
 * </table>
 *
 * <h2>Job list ({@code GET /{jobs}})</h2>
 * <p>{@code {"version": "1.1", "jobs": [jobref, …]}}, written as the store's iterator is consumed. A jobref:
 * <table>
 *   <caption>Fields of a jobref object</caption>
 *   <tr><th>field</th><th>JSON type</th><th>XML counterpart</th><th>meaning</th></tr>
 *   <tr><td>jobId</td><td>string</td><td>{@code @id}</td><td>the job identifier</td></tr>
 *   <tr><td>href</td><td>string</td><td>{@code @xlink:href}</td><td>the job's URL</td></tr>
 *   <tr><td>phase</td><td>string</td><td>phase</td><td>the current phase</td></tr>
 *   <tr><td>runId</td><td>string or null</td><td>runId</td><td>the client's run id</td></tr>
 *   <tr><td>ownerId</td><td>string or null</td><td>ownerId</td><td>the owner</td></tr>
 *   <tr><td>creationTime</td><td>instant or null</td><td>creationTime</td><td>when the job was created</td></tr>
 * </table>
 *
 * <h2>Results and parameters ({@code GET …/results}, {@code GET …/parameters})</h2>
 * <p>{@code {"results": [result, …]}} and {@code {"parameters": [parameter, …]}}, the same arrays as in the job.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * {"version":"1.1","jobId":"k3x9","runId":null,"ownerId":"alice","phase":"COMPLETED","quote":null,
 *  "creationTime":"2026-11-21T09:30:00.000Z","startTime":"2026-11-21T09:30:01.250Z",
 *  "endTime":"2026-11-21T09:31:00.000Z","executionDuration":600,"destruction":"2026-11-28T09:30:00.000Z",
 *  "parameters":[{"id":"QUERY","value":"SELECT 1","byReference":false}],
 *  "results":[{"id":"result","href":"https://host/uws/demo/k3x9/results/result",
 *              "mimeType":"application/x-votable+xml","size":2048}],
 *  "errorSummary":null,"jobInfo":{}}
 * }</pre>
 */
package org.uwskit.json;
