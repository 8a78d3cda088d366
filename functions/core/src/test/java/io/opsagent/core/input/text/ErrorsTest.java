package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: named in the error; unknown files are skipped and reported, not fatal. */
class ErrorsTest {

    @Test
    void missingFolder() {
        Path dir = Evidence.dir("does-not-exist");
        assertThatThrownBy(() -> new TextEvidenceReader().read(dir))
                .isInstanceOf(InputException.class).hasMessageContaining("does-not-exist").hasMessageContaining("does not exist");
    }

    @Test
    void folderWithoutKubectlOutputNamesFolderAndWhatWasExpected() {
        assertThatThrownBy(() -> new TextEvidenceReader().read(Evidence.dir("unknown")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("unknown")
                .hasMessageContaining("expected kubectl describe")
                .hasMessageContaining("notes.txt");
    }

    @Test
    void nonUtf8FileIsNamed() {
        assertThatThrownBy(() -> new TextEvidenceReader().read(Evidence.dir("badutf8")))
                .isInstanceOf(InputException.class)
                .satisfies(e -> assertThat(((InputException) e).file()).isEqualTo("describe.txt"))
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void unknownFileNextToGoodOnesIsSkippedAndReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("README.md"), "# Incident 42\nSee the files.\n");
        Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n");
        Files.writeString(dir.resolve("pods.txt"), "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          1d\n");
        TextEvidenceReader r = new TextEvidenceReader();
        ClusterSnapshot s = r.read(dir);
        assertThat(s.pods()).hasSize(1);
        assertThat(r.skipped()).extracting(SkippedInput::file).contains("README.md", "broken.yaml");
        assertThat(r.skipped()).filteredOn(x -> x.file().equals("broken.yaml")).singleElement()
                .satisfies(x -> assertThat(x.reason()).contains("not valid YAML"));
    }

    @Test
    void recordedErrorsOnlyIsNoDataError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("describe.txt"), String.join("\n",
                "{\"tool_name\":\"kubectl_describe\",\"match_params\":{\"kind\":\"pod\",\"name\":\"x\"}}",
                "{\"schema_version\": \"robusta:v1.0.0\", \"status\": \"error\", \"error\": \"Error from server (NotFound): pods \\\"x\\\" not found\"}",
                "Error from server (NotFound): pods \"x\" not found", ""));
        Files.writeString(dir.resolve("get.txt"), "No resources found in default namespace.\n");
        assertThatThrownBy(() -> new TextEvidenceReader().read(dir))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("no Kubernetes objects")
                .hasMessageContaining("NotFound");
    }

    @Test
    void pastedGibberishIsRejectedWithTheName() {
        assertThatThrownBy(() -> new TextEvidenceReader().readText("chat-message", "why is my app down??"))
                .isInstanceOf(InputException.class)
                .satisfies(e -> assertThat(((InputException) e).file()).isEqualTo("chat-message"));
    }

    @Test
    void pastedDescribeWithWindowsLineEndings() throws Exception {
        String text = "Name:         data-pvc\r\nNamespace:    db\r\nStorageClass: gp3\r\nStatus:       Pending\r\n"
                + "Volume:\r\nAccess Modes:\r\nVolumeMode:   Filesystem\r\nUsed By:      db-0\r\nEvents:\r\n"
                + "  Type     Reason                Age                From                         Message\r\n"
                + "  ----     ------                ----               ----                         -------\r\n"
                + "  Normal   WaitForFirstConsumer  2m (x3 over 3m)    persistentvolume-controller  waiting for first consumer to be created before binding\r\n";
        ClusterSnapshot s = new TextEvidenceReader().readText("pvc.txt", text);
        assertThat(s.pvcs()).singleElement().satisfies(p -> {
            assertThat(p.getSpec().getStorageClassName()).isEqualTo("gp3");
            assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        });
        assertThat(s.events()).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(3);
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("PersistentVolumeClaim");
            assertThat(s.ref(e, "message")).isEqualTo("pvc.txt:12");
        });
    }
}
