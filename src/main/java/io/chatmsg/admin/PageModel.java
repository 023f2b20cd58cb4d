package io.chatmsg.admin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page shows: the build in the footer. */
@ControllerAdvice(basePackageClasses = PageModel.class)
class PageModel {

    private final String version;

    /** Spring Boot reads both from the jar: {@code META-INF/build-info.properties} and {@code git.properties}. */
    PageModel(ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git) {
        this.version = version(build.getIfAvailable(), git.getIfAvailable());
    }

    /** {@code 0.1.0 (commit aa633d3)}, as {@code --version} prints it. */
    static String version(BuildProperties build, GitProperties git) {
        String version = build == null ? "development build" : build.getVersion();
        String commit = git == null ? null : git.getShortCommitId();
        if (commit == null) {
            return version;
        }
        return version + " (commit " + commit + ("true".equals(git.get("dirty")) ? ", modified" : "") + ")";
    }

    @ModelAttribute("version")
    String version() {
        return version;
    }
}
