package io.opsagent.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.actions.AuditLog;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.InMemoryAuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectDirectoryTest {
    private static final List<String> NONE = List.of();
    private final InMemoryAuditLog audit = new InMemoryAuditLog(Clock.systemUTC());
    private final InMemoryProjectStore store = new InMemoryProjectStore();
    private ProjectDirectory dir;

    /** dev administers every namespace (the local default); carol administers shop-* only. */
    @BeforeEach
    void seed() {
        dir = new ProjectDirectory(null, store, audit, Clock.systemUTC());
        assertThat(dir.seedIfEmpty(Projects.localDefault(), "seed")).isEqualTo(1);
        dir.create("dev", NONE, new Project("shop", List.of("shop-*"), Map.of("carol", Role.ADMIN, "vera", Role.VIEWER), Map.of()));
    }

    private static ProjectRefused.Why why(Runnable r) {
        try {
            r.run();
        } catch (ProjectRefused e) {
            return e.why();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void anAdminCarvesProjectsOnlyOutOfNamespacesTheyAdminister() {
        // carol administers shop-*: she may make a project of shop-eu, not of payments, nor of every namespace
        ProjectDirectory.Entry eu = dir.create("carol", NONE, new Project("shop-eu", List.of("shop-eu"), Map.of(), Map.of("eu-sre", Role.OPERATOR)));
        assertThat(eu.project().users()).containsEntry("carol", Role.ADMIN); // none named: the maker administers it
        assertThat(eu.version()).isEqualTo(1);
        assertThatThrownBy(() -> dir.create("carol", NONE, new Project("pay", List.of("payments"), Map.of(), Map.of())))
                .isInstanceOf(ProjectRefused.class).hasMessageContaining("payments").hasMessageContaining("administers no project");
        assertThat(why(() -> dir.create("carol", NONE, new Project("all", List.of("*"), Map.of(), Map.of()))))
                .isEqualTo(ProjectRefused.Why.FORBIDDEN);
        assertThat(why(() -> dir.create("carol", NONE, new Project("sh", List.of("sh*"), Map.of(), Map.of()))))
                .isEqualTo(ProjectRefused.Why.FORBIDDEN); // sh* is wider than shop-*
        assertThat(why(() -> dir.create("vera", NONE, new Project("mine", List.of("shop-a"), Map.of(), Map.of()))))
                .isEqualTo(ProjectRefused.Why.FORBIDDEN); // a viewer administers nothing
        assertThat(why(() -> dir.create("dev", NONE, new Project("shop", List.of("x"), Map.of(), Map.of()))))
                .isEqualTo(ProjectRefused.Why.CONFLICT); // the name is taken
        assertThat(dir.current().role("eu-operator", List.of("eu-sre"), "shop-eu")).isEqualTo(Role.OPERATOR);
    }

    @Test
    void onlyAProjectsAdminChangesItAndANonMemberIsToldItDoesNotExist() {
        assertThat(why(() -> dir.setMember("vera", NONE, "shop", false, "zed", Role.ADMIN))).isEqualTo(ProjectRefused.Why.FORBIDDEN);
        assertThat(why(() -> dir.setMember("zed", NONE, "shop", false, "zed", Role.ADMIN))).isEqualTo(ProjectRefused.Why.NOT_FOUND);
        assertThat(why(() -> dir.setMember("zed", NONE, "nothing", false, "zed", Role.ADMIN))).isEqualTo(ProjectRefused.Why.NOT_FOUND);
        ProjectRefused notMember = catchRefusal(() -> dir.delete("zed", NONE, "shop", 1));
        ProjectRefused missing = catchRefusal(() -> dir.delete("zed", NONE, "nope", 1));
        assertThat(notMember.getMessage().replace("shop", "X")).isEqualTo(missing.getMessage().replace("nope", "X"));
        assertThat(dir.current().role("zed", NONE, "shop-a")).isNull(); // nothing changed
    }

    private static ProjectRefused catchRefusal(Runnable r) {
        try {
            r.run();
        } catch (ProjectRefused e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void membersAreSetAndRemovedWithTheActorAudited() {
        dir.setMember("carol", NONE, "shop", false, "bob", Role.OPERATOR);
        dir.setMember("carol", NONE, "shop", true, "shop-approvers", Role.APPROVER);
        assertThat(dir.current().role("bob", NONE, "shop-a")).isEqualTo(Role.OPERATOR);
        assertThat(dir.current().role("x", List.of("shop-approvers"), "shop-a")).isEqualTo(Role.APPROVER);
        dir.setMember("carol", NONE, "shop", false, "bob", Role.APPROVER);
        dir.setMember("carol", NONE, "shop", false, "vera", null);
        assertThat(dir.current().role("vera", NONE, "shop-a")).isNull();
        assertThat(why(() -> dir.setMember("carol", NONE, "shop", false, "vera", null))).isEqualTo(ProjectRefused.Why.NOT_FOUND);
        assertThat(why(() -> dir.setMember("carol", NONE, "shop", false, "bad name", Role.VIEWER))).isEqualTo(ProjectRefused.Why.INVALID);

        List<AuditRecord> records = audit.list(AuditLog.Filter.ALL, null, 50).records();
        assertThat(records).extracting(AuditRecord::type)
                .containsExactly("member-removed", "member-set", "member-set", "member-set", "project-created");
        AuditRecord promoted = records.get(1);
        assertThat(promoted.actor()).isEqualTo("carol");
        assertThat(promoted.detail().path("project").asText()).isEqualTo("shop");
        assertThat(promoted.detail().path("user").asText()).isEqualTo("bob");
        assertThat(promoted.detail().path("from").asText()).isEqualTo("operator");
        assertThat(promoted.detail().path("role").asText()).isEqualTo("approver");
        assertThat(records.get(0).detail().path("from").asText()).isEqualTo("viewer");
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aProjectKeepsAnAdminAndNoOneWidensTheirOwnReach() {
        assertThat(catchRefusal(() -> dir.setMember("carol", NONE, "shop", false, "carol", Role.APPROVER)).getMessage())
                .contains("no admin left");
        assertThat(why(() -> dir.setMember("carol", NONE, "shop", false, "carol", null))).isEqualTo(ProjectRefused.Why.CONFLICT);
        long v = store.get("shop").orElseThrow().version();
        // carol may not add payments to her project (she does not administer it); dev may
        Project wider = new Project("shop", List.of("shop-*", "payments"), Map.of("carol", Role.ADMIN), Map.of());
        assertThat(why(() -> dir.update("carol", NONE, "shop", v, wider))).isEqualTo(ProjectRefused.Why.FORBIDDEN);
        // dev is not a member of shop: to him it does not exist, though he administers every namespace
        assertThat(why(() -> dir.update("dev", NONE, "shop", v, wider))).isEqualTo(ProjectRefused.Why.NOT_FOUND);
        // once carol hands admin to someone, she may step down
        dir.setMember("carol", NONE, "shop", false, "erin", Role.ADMIN);
        dir.setMember("carol", NONE, "shop", false, "carol", Role.VIEWER);
        assertThat(dir.current().role("carol", NONE, "shop-a")).isEqualTo(Role.VIEWER);
    }

    @Test
    void aStaleVersionIsRefusedSoNoChangeIsLost() {
        long v = store.get("shop").orElseThrow().version();
        Project narrower = new Project("shop", List.of("shop-eu"), Map.of("carol", Role.ADMIN), Map.of());
        ProjectDirectory.Entry e = dir.update("carol", NONE, "shop", v, narrower);
        assertThat(e.version()).isEqualTo(v + 1);
        Project other = new Project("shop", List.of("shop-us"), Map.of("carol", Role.ADMIN), Map.of());
        assertThat(catchRefusal(() -> dir.update("carol", NONE, "shop", v, other)).getMessage())
                .contains("version " + (v + 1) + ", not " + v);
        assertThat(store.get("shop").orElseThrow().project().namespaces()).containsExactly("shop-eu");
        assertThat(why(() -> dir.update("carol", NONE, "shop", v + 1,
                new Project("shop2", List.of("shop-eu"), Map.of("carol", Role.ADMIN), Map.of())))).isEqualTo(ProjectRefused.Why.INVALID);
        assertThat(why(() -> dir.delete("carol", NONE, "shop", v))).isEqualTo(ProjectRefused.Why.CONFLICT);
        dir.delete("carol", NONE, "shop", v + 1);
        assertThat(dir.current().named("shop")).isEmpty();
        assertThat(audit.list(AuditLog.Filter.ALL, null, 1).records().get(0).type()).isEqualTo("project-deleted");
    }

    @Test
    void projectsOfAFileAreReadOnlyHereAndKeepTheirNames() {
        Projects file = new Projects(List.of(new Project("ops", List.of("*"), Map.of("root", Role.ADMIN), Map.of())));
        ProjectDirectory d = new ProjectDirectory(file, new InMemoryProjectStore(), audit, Clock.systemUTC());
        assertThat(d.seedIfEmpty(Projects.localDefault(), "seed")).isZero(); // a file declares projects: no default
        assertThat(catchRefusal(() -> d.setMember("root", NONE, "ops", false, "x", Role.VIEWER)).getMessage())
                .contains("declared in the projects file");
        assertThat(why(() -> d.create("root", NONE, new Project("ops", List.of("a"), Map.of(), Map.of())))).isEqualTo(ProjectRefused.Why.CONFLICT);
        d.create("root", NONE, new Project("team", List.of("team-a"), Map.of(), Map.of()));
        assertThat(d.entries()).extracting(ProjectDirectory.Entry::source).containsExactly("file", "store");
        assertThat(why(() -> ProjectDirectory.fixed(file).setMember("root", NONE, "ops", false, "x", Role.VIEWER)))
                .isEqualTo(ProjectRefused.Why.CONFLICT);
    }

    @Test
    void aRequestNeverWaitsForARereadOnceProjectsWereRead() throws Exception {
        Instant[] now = {Instant.parse("2026-12-06T10:00:00Z")};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId z) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch slow = new java.util.concurrent.CountDownLatch(1);
        ProjectStore counting = new ProjectStore() {
            public List<Stored> list() {
                if (reads.incrementAndGet() > 1) {
                    try {
                        slow.await(); // the re-read is slow: the request must not wait for it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return store.list();
            }

            public Optional<Stored> get(String name) {
                return store.get(name);
            }

            public Stored put(Project p, long v, String by, Instant at) {
                return store.put(p, v, by, at);
            }

            public void delete(String name, long v) {
                store.delete(name, v);
            }
        };
        ProjectDirectory d = new ProjectDirectory(null, counting, null, clock);
        assertThat(d.current().sees("vera", NONE, "shop-a")).isTrue(); // the first read waits
        // another instance removes vera (straight in the store)
        ProjectStore.Stored shop = store.get("shop").orElseThrow();
        store.put(shop.project().withMember(false, "vera", null), shop.version(), "carol", now[0]);
        now[0] = now[0].plusSeconds(6); // past the cache: this request goes on with what was read, a re-read starts
        long t0 = System.nanoTime();
        assertThat(d.current().sees("vera", NONE, "shop-a")).isTrue();
        assertThat(d.current().sees("vera", NONE, "shop-a")).isTrue(); // one re-read at a time
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        slow.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (d.current().sees("vera", NONE, "shop-a") && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(d.current().sees("vera", NONE, "shop-a")).as("the re-read applied the removal").isFalse();
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void aStoreThatCannotBeReadIsNotGuessedAround() {
        AtomicBoolean down = new AtomicBoolean();
        Instant[] now = {Instant.parse("2026-12-06T10:00:00Z")};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId z) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        ProjectStore failing = new ProjectStore() {
            public List<Stored> list() {
                if (down.get()) throw new IllegalStateException("table unreachable");
                return store.list();
            }

            public Optional<Stored> get(String name) {
                return store.get(name);
            }

            public Stored put(Project p, long v, String by, Instant at) {
                return store.put(p, v, by, at);
            }

            public void delete(String name, long v) {
                store.delete(name, v);
            }
        };
        ProjectDirectory d = new ProjectDirectory(null, failing, null, clock);
        assertThat(d.current().sees("carol", NONE, "shop-a")).isTrue();
        down.set(true);
        now[0] = now[0].plus(Duration.ofSeconds(30)); // past the cache, within the stale limit: the last good read
        assertThat(d.current().sees("carol", NONE, "shop-a")).isTrue();
        now[0] = now[0].plus(Duration.ofMinutes(2));
        assertThatThrownBy(d::current).isInstanceOf(ProjectsUnavailable.class).hasMessageContaining("nothing is shown until it can")
                .hasMessageNotContaining("table unreachable"); // the store's own words are logged, not told
        down.set(false);
        assertThat(d.current().sees("carol", NONE, "shop-a")).isTrue();
    }
}
