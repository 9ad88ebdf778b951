package io.devswarm.server.system;

import io.devswarm.core.model.InvalidSpecException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses a query parameter holding NUL (U+0000) before its route runs, 422 naming the parameter:
 * no name, filter or duration holds one, and PostgreSQL text cannot, so a filter with one would
 * fail in the database. Request bodies are checked as they are read ({@link RequestJson}).
 */
@Configuration(proxyBeanMethods = false)
class NulFreeParameters implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            for (String value : parameter.getValue()) { // a form body (PUT, PATCH) may hold a name without a value
                if (value != null && value.indexOf('\0') >= 0) throw new InvalidSpecException(parameter.getKey(), RequestJson.NulInText.MESSAGE);
            }
        }
        return true;
    }
}
