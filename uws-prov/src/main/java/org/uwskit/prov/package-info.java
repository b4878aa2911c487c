/**
 * IVOA Provenance (ProvDM, W3C PROV compatible) of finished UWS jobs.
 *
 * <p>Start from {@link org.uwskit.prov.ProvenanceBuilder}, which maps a finished {@link org.uwskit.Job} to a
 * {@link org.uwskit.prov.ProvDocument}; {@link org.uwskit.prov.ProvWriters} writes documents in every
 * {@link org.uwskit.prov.ProvFormat} (PROV-JSON, PROV-XML, PROV-N, DOT, SVG, VOTable). To serve them over HTTP,
 * register {@link org.uwskit.prov.ProvenanceDocuments} (a {@link org.uwskit.spi.JobDocumentProvider}) with the
 * servlet adapter: the document then appears at {@code /{jobs}/{job-id}/provenance}.
 * {@link org.uwskit.prov.ProvenanceQuery} follows jobs that fed each other (ProvSAP-style ID, DEPTH, DIRECTION), served
 * over HTTP by {@code org.uwskit.prov.servlet.ProvSapServlet}, and {@link org.uwskit.prov.ProvRecords} describes how
 * job logic adds its own records.
 *
 * <pre>{@code
 * ProvenanceDocuments provenance = ProvenanceDocuments.builder(ProvenanceBuilder.builder()
 *         .serviceName("my service").build())
 *     .records(ProvRecords.Source.fromResultStore(resultStore))
 *     .build();
 * }</pre>
 *
 * <p>The model ({@link org.uwskit.prov.ProvDocument}, {@link org.uwskit.prov.ProvElement},
 * {@link org.uwskit.prov.ProvRelation}, {@link org.uwskit.prov.ProvAttribute}, {@link org.uwskit.prov.ProvValue},
 * {@link org.uwskit.prov.ProvBundle}) is immutable records; identifiers are absolute URIs
 * ({@link org.uwskit.prov.ProvIds}), vocabulary in {@link org.uwskit.prov.ProvTerms}. Everything here is
 * thread-safe except builders. The mapping follows {@code shared/prov/MAPPING.md}.
 */
package org.uwskit.prov;
