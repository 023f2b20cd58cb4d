package io.chatmsg.admin;

import io.chatmsg.cli.Launcher;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page shows: the build in the footer. */
@ControllerAdvice(basePackageClasses = PageModel.class)
class PageModel {

    private static final String VERSION = Launcher.version();

    @ModelAttribute("version")
    String version() {
        return VERSION;
    }
}
