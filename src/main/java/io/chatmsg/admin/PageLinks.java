package io.chatmsg.admin;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Links to another page of the current search, keeping its filters ({@code pageLinks.to(n)} in templates). */
@Component
class PageLinks {

    public String to(int page) {
        return ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("page", page)
                .build()
                .toUriString();
    }
}
