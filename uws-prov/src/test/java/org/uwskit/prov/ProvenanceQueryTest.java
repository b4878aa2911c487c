package org.uwskit.prov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;

class ProvenanceQueryTest {
    private static final String BASE = "https://uws.example.org/cutout/jobs/";
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final ProvenanceQuery query = ProvenanceQuery.of(ProvenanceDocuments.builder(DemoJobs.PROVENANCE).build());
    private final ProvenanceQuery.JobLookup lookup = new ProvenanceQuery.JobLookup() {
        @Override
        public Optional<Job> find(String jobId) {
            return Optional.ofNullable(jobs.get(jobId));
        }

        @Override
        public Stream<Job> finishedJobs() {
            return jobs.values().stream().filter(j -> j.phase().isFinished());
        }
    };

    ProvenanceQueryTest() {
        for (Job j : new Job[] {DemoJobs.chainA(), DemoJobs.chainB(), DemoJobs.chainC(), DemoJobs.completed()}) {
            jobs.put(j.jobId(), j);
        }
    }

    private java.util.Set<String> activities(String id, String depth, String direction) throws Exception {
        ProvDocument d = query.run(lookup, DemoJobs.JOB_LIST, DemoJobs.LINKS, id, depth, direction);
        return d.elements(ElementKind.ACTIVITY).stream().map(ProvElement::id).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void backFollowsTheJobsWhoseResultsWereUsed() throws Exception {
        assertThat(activities(BASE + "jchainc", "0", "BACK")).containsOnly(BASE + "jchainc");
        assertThat(activities(BASE + "jchainc", "1", "BACK")).containsOnly(BASE + "jchainc", BASE + "jchainb");
        assertThat(activities(BASE + "jchainc", "ALL", "back")).containsOnly(BASE + "jchainc", BASE + "jchainb", BASE + "jchaina");
    }

    @Test
    void forthFollowsTheJobsThatUsedTheResults() throws Exception {
        assertThat(activities(BASE + "jchaina/results/catalog", "1", "FORTH")).containsOnly(BASE + "jchaina", BASE + "jchainb");
        assertThat(activities(BASE + "jchaina", "ALL", "FORTH")).containsOnly(BASE + "jchaina", BASE + "jchainb", BASE + "jchainc");
        assertThat(activities(BASE + "jchainb", "1", "BOTH")).containsOnly(BASE + "jchaina", BASE + "jchainb", BASE + "jchainc");
    }

    @Test
    void mergedDocumentHasOneEntityForTheSharedResult() throws Exception {
        ProvDocument d = query.run(lookup, DemoJobs.JOB_LIST, DemoJobs.LINKS, BASE + "jchainb", "1", "BACK");
        String shared = BASE + "jchaina/results/catalog";
        assertThat(d.elements(ElementKind.ENTITY).stream().filter(e -> e.id().equals(shared))).hasSize(1);
        assertThat(d.relations(RelationKind.USED).stream().map(r -> r.argument("entity"))).contains(shared);
        assertThat(d.relations(RelationKind.WAS_GENERATED_BY).stream().map(r -> r.argument("entity"))).contains(shared);
        // the merged document is still writable: prefixes that clash between jobs are regenerated
        ParsedJson p = new ParsedJson(ProvWriters.builder().dotExecutable(null).build().toBytes(d, ProvFormat.JSON));
        assertThat(p.section("entity")).containsKey(shared);
    }

    @Test
    void unknownIdsGiveAnEmptyDocumentAndBadParametersA400() throws Exception {
        assertThat(activities("https://elsewhere.org/x", "1", "BACK")).isEmpty();
        assertThat(activities(BASE + "jnothere", "1", "BACK")).isEmpty();
        assertThatThrownBy(() -> query.run(lookup, DemoJobs.JOB_LIST, DemoJobs.LINKS, " ", "-1", "SIDEWAYS"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("ID is required").hasMessageContaining("DEPTH").hasMessageContaining("DIRECTION");
    }

    @Test
    void scopeParsesDepthAndDirectionAndNamesEveryBadValue() {
        java.util.List<String> problems = new java.util.ArrayList<>();
        assertThat(ProvenanceQuery.Scope.parse(null, null, problems)).isEqualTo(ProvenanceQuery.Scope.DEFAULT);
        assertThat(ProvenanceQuery.Scope.parse(" all ", "forth", problems))
                .isEqualTo(new ProvenanceQuery.Scope(ProvenanceQuery.ALL, ProvenanceQuery.Direction.FORTH));
        assertThat(ProvenanceQuery.Scope.parse("0", "Both", problems))
                .isEqualTo(new ProvenanceQuery.Scope(0, ProvenanceQuery.Direction.BOTH));
        assertThat(problems).isEmpty();
        assertThat(ProvenanceQuery.Scope.parse("-3", "SIDEWAYS", problems)).isEqualTo(ProvenanceQuery.Scope.DEFAULT);
        assertThat(ProvenanceQuery.Scope.parse("x", null, problems)).isEqualTo(ProvenanceQuery.Scope.DEFAULT);
        assertThat(problems).containsExactly("DEPTH must be a non-negative integer or ALL, got -3",
                "DIRECTION must be BACK, FORTH or BOTH, got 'SIDEWAYS'",
                "DEPTH must be a non-negative integer or ALL, got 'x'");
        assertThatThrownBy(() -> new ProvenanceQuery.Scope(-1, ProvenanceQuery.Direction.BACK))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
