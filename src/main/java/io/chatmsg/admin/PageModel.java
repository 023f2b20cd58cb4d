package io.chatmsg.admin;

import io.chatmsg.cli.Launcher;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page shows: the build in the footer; links to other pages of a list. */
@ControllerAdvice(basePackageClasses = PageModel.class)
class PageModel {

    private static final String VERSION = Launcher.version();

    private final PageLinks pageLinks;

    PageModel(PageLinks pageLinks) {
        this.pageLinks = pageLinks;
    }

    /**
     * A model attribute, not a bean reference: Thymeleaf refuses {@code @bean}
     * expressions in {@code th:href} (its restricted mode).
     */
    @ModelAttribute("pageLinks")
    PageLinks pageLinks() {
        return pageLinks;
    }

    @ModelAttribute("version")
    String version() {
        return VERSION;
    }
}
