package io.devswarm.server.system;

import io.devswarm.core.store.Store;
import io.devswarm.server.auth.SliceSecurity;
import io.devswarm.store.Database;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Clock;
import org.mockito.Answers;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * A web slice of the server: the named controllers with the server's own request reading
 * ({@link RequestJson}), problem+json ({@link ProblemHandler}) and filter chain
 * ({@link SliceSecurity}), over a mocked store and database. No engine, no database, no port:
 * what a request is refused for, and that a refused request reaches no service.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest
@Import({RequestJson.class, SliceSecurity.class, WebSlice.Wiring.class})
// deep stubs: the audit filter and token service take their stores from Store as the context starts
@MockitoBean(types = {Database.class, Store.class}, answers = Answers.RETURNS_DEEP_STUBS)
@TestPropertySource(properties = "devswarm.home=${java.io.tmpdir}/devswarm-web-slice-${random.uuid}")
public @interface WebSlice {
    /** The controllers under test. */
    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value();

    /** What the server's wiring gives every feature: the clock and the configuration. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DevswarmProperties.class)
    class Wiring {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }
}
