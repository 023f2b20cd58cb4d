package io.chatmsg.admin;

import jakarta.servlet.http.HttpServletResponse;

import io.chatmsg.config.ChatProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Two doors: {@code /api/**} and {@code /actuator/**} with HTTP Basic (or the
 * dashboard's session), the pages with a form login. {@code /actuator/health}
 * (and its liveness and readiness groups) and static assets are open;
 * everything else needs the operator.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            + " script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";

    @Bean
    InMemoryUserDetailsManager operators(AdminProperties admin, ChatProperties chat, PasswordEncoder encoder) {
        return new InMemoryUserDetailsManager(AdminAccount.load(admin, chat, encoder));
    }

    /** The guard runs inside both chains, before any password is checked. */
    @Bean
    FilterRegistrationBean<DashboardLoginGuard> guardNotAsAServletFilter(DashboardLoginGuard guard) {
        FilterRegistrationBean<DashboardLoginGuard> r = new FilterRegistrationBean<>(guard);
        r.setEnabled(false);
        return r;
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, DashboardLoginGuard guard) throws Exception {
        http.addFilterBefore(guard, BasicAuthenticationFilter.class);
        http.securityMatcher("/api/**", "/actuator/**")
                .authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .httpBasic(b -> b.authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"chat-gateway\"");
                    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                    response.getWriter()
                            .write("{\"status\":401,\"title\":\"Unauthorized\","
                                    + "\"detail\":\"HTTP Basic credentials of the admin account are required\"}");
                }))
                // Scripts send HTTP Basic credentials with every call and cannot be forged by a
                // page; anything riding on the dashboard's session cookie needs the CSRF token,
                // whatever other Authorization header it carries.
                .csrf(c -> c.ignoringRequestMatchers(BasicCredentials::isScriptCall))
                .headers(h -> h.contentSecurityPolicy(p -> p.policyDirectives(CSP)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pages(HttpSecurity http, DashboardLoginGuard guard) throws Exception {
        http.addFilterBefore(guard, UsernamePasswordAuthenticationFilter.class);
        http.authorizeHttpRequests(a -> a.requestMatchers(
                                "/login",
                                "/actuator/health",
                                "/actuator/health/**",
                                "/webjars/**",
                                "/css/**",
                                "/js/**",
                                "/favicon.ico",
                                "/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false))
                .logout(l -> l.logoutSuccessUrl("/login?logout"))
                .headers(h -> h.contentSecurityPolicy(p -> p.policyDirectives(CSP)));
        return http.build();
    }
}
