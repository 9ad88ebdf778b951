package io.devswarm.server.auth;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document says every call takes a bearer token, so the browsable UI can send one. */
@Configuration(proxyBeanMethods = false)
class OpenApiSecurity {
    @Bean
    OpenAPI devswarmOpenApi() {
        return new OpenAPI().info(new Info().title("devswarm").version("v1"))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("JWT").description("POST /api/v1/auth/login, then the token")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
