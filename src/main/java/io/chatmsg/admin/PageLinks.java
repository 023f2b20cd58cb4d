package io.chatmsg.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The pager under every paged table: once a page's controller has put its
 * {@code page} in the model, this adds {@code pager}, whose Previous and Next
 * links keep the search's filters. Built here because Thymeleaf 3.1 forbids
 * bean references and object creation in templates: {@code pager.html} only
 * reads properties.
 */
@Component
class PageLinks implements HandlerInterceptor, WebMvcConfigurer {

    /** Page {@code number} (from 0) of {@code totalPages}; a link is null where there is nowhere to go. */
    record Pager(int number, int totalPages, String previous, String next) {

        public String label() {
            return "page " + (number + 1) + " of " + totalPages;
        }

        public boolean shown() {
            return totalPages > 1;
        }
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public void postHandle(
            HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView view) {
        if (view != null && view.getModel().get("page") instanceof Views.PageOf<?> page) {
            view.addObject("pager", of(request.getRequestURI(), request.getQueryString(), page));
        }
    }

    /** The links for {@code page}, from the request's path and (still encoded) query string. */
    static Pager of(String path, String query, Views.PageOf<?> page) {
        int number = page.number();
        int last = Math.max(0, page.totalPages() - 1);
        String previous = number > 0 ? link(path, query, Math.min(number - 1, last)) : null;
        String next = number < last ? link(path, query, number + 1) : null;
        return new Pager(number, page.totalPages(), previous, next);
    }

    private static String link(String path, String query, int page) {
        return UriComponentsBuilder.fromPath(path)
                .query(query)
                .replaceQueryParam("page", page)
                .build()
                .toUriString();
    }
}
