package io.devswarm.server.audit;

import io.devswarm.core.access.Caller;
import io.devswarm.core.audit.AuditEvent;
import io.devswarm.core.controller.Ids;
import io.devswarm.core.store.AuditLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Writes every mutating API call to the audit log as it is answered, before the answer leaves: who,
 * which route, which target, the status, from where. Bodies are never recorded, so no secret value can land here.
 * Sign-in is recorded by the login endpoint itself, which knows the username.
 */
public final class AuditFilter extends OncePerRequestFilter {
    /** A request attribute a controller sets when the target is in the body, not the path (a new instance's name). */
    public static final String TARGET = "devswarm.audit.target";
    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditLog audit;
    private final Clock clock;

    public AuditFilter(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !MUTATING.contains(request.getMethod()) || !uri.startsWith("/api/v1/") || uri.equals("/api/v1/auth/login");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws ServletException, IOException {
        // The answer is held here and goes out whole, with its length, after the record is written:
        // whoever learns the call was answered can find it in the log, and the body is one write, not a
        // chunk (Spring MVC flushes a ResponseEntity) followed after the record by a last, empty one.
        var answer = new ContentCachingResponseWrapper(response);
        int status = 500;
        try {
            chain.doFilter(request, answer);
            status = answer.getStatus();
        } finally {
            record(request, status);
        }
        answer.copyBodyToResponse();
    }

    private void record(HttpServletRequest request, int status) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        String actor = auth != null && auth.getPrincipal() instanceof Caller c ? actor(c) : "anonymous";
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String action = request.getMethod() + " " + (pattern != null ? pattern : request.getRequestURI());
        try {
            audit.append(new AuditEvent(Ids.next("au"), clock.instant(), actor, action, target(request), Integer.toString(status), request.getRemoteAddr()));
        } catch (RuntimeException e) {
            log.error("audit: could not record {} by {}: {}", action, actor, e.toString());
        }
    }

    static String actor(Caller c) {
        return c.instanceScope() == null ? c.username() : c.username() + " (instance token " + c.instanceScope() + ")";
    }

    /** The path's own names in order: "web-1", "alice/DEPLOY_TOKEN", "alice/key-abc". */
    private static String target(HttpServletRequest request) {
        if (request.getAttribute(TARGET) instanceof String named) return named;
        Object vars = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (!(vars instanceof Map<?, ?> m) || m.isEmpty()) return null;
        return String.join("/", m.values().stream().map(String::valueOf).toList());
    }
}
