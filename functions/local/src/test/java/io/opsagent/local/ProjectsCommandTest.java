package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.app.http.LocalServer;
import io.opsagent.core.access.Projects;
import io.opsagent.core.agent.Demo;
import io.opsagent.core.tools.SnapshotProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code opsagent projects} against the local product (the local default seeded): an admin makes a project and gives
 * it members; a viewer lists it without members; others' refusals are the server's words with a non-zero exit.
 */
class ProjectsCommandTest {

    @Test
    void adminsManageProjectsFromTheCommandLineAndOthersAreRefused() throws Exception {
        SnapshotProvider demo = SnapshotProvider.of(Demo.snapshot());
        try (LocalServer app = LocalServer.start(new LocalServer.Options(demo, Path.of("../../events/clusters/demo"), null,
                null, "127.0.0.1", 0, null, null, null))) {
            app.projects(null, Projects.localDefault());
            String server = app.http().uri().toString();
            Cli.Run list = Cli.run("projects", "--server", server, "--user", "dev");
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).contains("default", "admin", "*", "(store, version 1)", "user  alice", "approver");

            Cli.Run made = Cli.run("projects", "create", "shop-team", "-n", "shop", "--member", "vera=viewer",
                    "--member", "group:shop-oncall=approver", "--server", server, "--user", "dev");
            assertThat(made.exit()).as(made.err()).isZero();
            assertThat(made.out()).contains("made project shop-team", "user  dev", "admin", "user  vera", "group shop-oncall");

            Cli.Run set = Cli.run("projects", "set-member", "shop-team", "erin", "--role", "operator", "--server", server, "--user", "dev");
            assertThat(set.exit()).as(set.err()).isZero();
            assertThat(set.out()).contains("user  erin", "operator");

            Cli.Run vera = Cli.run("projects", "--server", server, "--user", "vera");
            assertThat(vera.out()).contains("shop-team", "viewer", "shop").doesNotContain("erin").doesNotContain("default");
            Cli.Run refused = Cli.run("projects", "set-member", "shop-team", "vera", "--role", "admin", "--server", server, "--user", "vera");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("vera is viewer", "needs admin", "HTTP 403");
            Cli.Run hidden = Cli.run("projects", "show", "shop-team", "--server", server, "--user", "zed");
            assertThat(hidden.exit()).isEqualTo(2);
            assertThat(hidden.err()).contains("no project shop-team", "HTTP 404");
            Cli.Run badRole = Cli.run("projects", "set-member", "shop-team", "group:x", "--role", "boss", "--server", server, "--user", "dev");
            assertThat(badRole.exit()).isEqualTo(2);
            assertThat(badRole.err()).contains("unknown role 'boss'");
            Cli.Run nobody = Cli.run("projects", "--server", server, "--user", "zed");
            assertThat(nobody.out()).contains("member of no project");

            Cli.Run budget = Cli.run("projects", "budget", "shop-team", "--tokens", "50000", "--usd", "2.5", "--server", server, "--user", "dev");
            assertThat(budget.exit()).as(budget.err()).isZero();
            assertThat(budget.out()).contains("budget: 50000 tokens, $2.5 a day");
            Cli.Run noBudget = Cli.run("projects", "budget", "shop-team", "--server", server, "--user", "dev");
            assertThat(noBudget.exit()).isEqualTo(2);
            assertThat(noBudget.err()).contains("give --tokens");
            Cli.Run wider = Cli.run("projects", "set-namespaces", "shop-team", "-n", "shop", "-n", "payments", "--server", server, "--user", "dev");
            assertThat(wider.exit()).as(wider.err()).isZero();
            assertThat(wider.out()).contains("shop,payments", "user  erin", "budget: 50000"); // members and budget kept
            Cli.Run removed = Cli.run("projects", "remove-member", "shop-team", "erin", "--server", server, "--user", "dev");
            assertThat(removed.exit()).as(removed.err()).isZero();
            assertThat(removed.out()).doesNotContain("erin");
            Cli.Run viewerDelete = Cli.run("projects", "delete", "shop-team", "--server", server, "--user", "vera");
            assertThat(viewerDelete.exit()).isEqualTo(1);
            assertThat(viewerDelete.err()).contains("needs admin");
            Cli.Run deleted = Cli.run("projects", "delete", "shop-team", "--server", server, "--user", "dev");
            assertThat(deleted.exit()).as(deleted.err()).isZero();
            assertThat(deleted.out()).contains("deleted project shop-team (version 5)");
            assertThat(Cli.run("projects", "--server", server, "--user", "vera").out()).contains("member of no project");
        }
    }
}
