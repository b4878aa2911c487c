/** Implementation details of the UWS XML writer; not a public API and subject to change. */
package org.uwskit.xml.internal;
