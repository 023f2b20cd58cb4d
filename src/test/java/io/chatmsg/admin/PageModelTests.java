package io.chatmsg.admin;

import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** The footer's version, from what Spring Boot read out of the jar. */
class PageModelTests {

    private static BuildProperties build(String version) {
        Properties p = new Properties();
        p.setProperty("version", version);
        return new BuildProperties(p);
    }

    private static GitProperties git(String abbrev, String dirty) {
        Properties p = new Properties();
        p.setProperty("commit.id.abbrev", abbrev);
        p.setProperty("dirty", dirty);
        return new GitProperties(p);
    }

    @Test
    void theVersionAndTheCommit() {
        assertThat(PageModel.version(build("0.1.0"), git("aa633d3", "false"))).isEqualTo("0.1.0 (commit aa633d3)");
    }

    @Test
    void aBuildWithChangesNotCommittedSaysSo() {
        assertThat(PageModel.version(build("0.1.0"), git("aa633d3", "true")))
                .isEqualTo("0.1.0 (commit aa633d3, modified)");
    }

    @Test
    void withoutBuildInformationItIsADevelopmentBuild() {
        assertThat(PageModel.version(null, null)).isEqualTo("development build");
        assertThat(PageModel.version(build("0.1.0"), null)).isEqualTo("0.1.0");
    }
}
