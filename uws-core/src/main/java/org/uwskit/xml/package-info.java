/**
 * UWS 1.1 XML: {@link org.uwskit.xml.UwsXml} writes the job, job-list, results and parameters documents, and
 * {@link org.uwskit.xml.UwsSchema} validates documents against the bundled official schema without network access.
 */
package org.uwskit.xml;
