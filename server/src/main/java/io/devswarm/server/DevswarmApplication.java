package io.devswarm.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The devswarm server: REST API, operation engine and reconciler in one process. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DevswarmApplication {
    public static void main(String[] args) {
        SpringApplication.run(DevswarmApplication.class, args);
    }
}
