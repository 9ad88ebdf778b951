package io.devswarm.server.system;

import com.fasterxml.jackson.annotation.Nulls;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;

/**
 * How request bodies are read: stricter than Jackson's defaults wherever a default let a value
 * through that could only fail later, deeper down. A null inside a list or map is refused (no
 * field of the API holds one); a fraction is not cut to an integer ({@code "memory":{"min":1.5}}
 * is not 1 MB); no text may hold NUL (U+0000), which no command line, environment or PostgreSQL
 * text can carry. Each is refused with the JSON path of the value: {@link ProblemHandler} answers 422.
 */
@Configuration(proxyBeanMethods = false)
class RequestJson {

    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        SimpleModule nulFree = new SimpleModule("devswarm-nul-free-text").addDeserializer(String.class, new NulFreeText())
                .addKeyDeserializer(String.class, new NulFreeKey());
        return builder -> builder.changeDefaultNullHandling(nulls -> nulls.withContentNulls(Nulls.FAIL))
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .addModule(nulFree);
    }

    /** Text with a NUL in it; Jackson adds the path of the value as the exception travels up. */
    static final class NulInText extends MismatchedInputException {
        static final String MESSAGE = "must not contain NUL (U+0000)";

        NulInText(JsonParser parser) {
            super(parser, MESSAGE, String.class);
        }
    }

    private static String nulFree(String text, JsonParser parser) {
        if (text != null && text.indexOf('\0') >= 0) throw new NulInText(parser);
        return text;
    }

    /** Jackson's own reading of text (with its coercions), then the NUL check. */
    private static final class NulFreeText extends StdScalarDeserializer<String> {
        NulFreeText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            return nulFree(StringDeserializer.instance.deserialize(parser, context), parser);
        }
    }

    private static final class NulFreeKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) {
            return nulFree(key, context.getParser());
        }
    }
}
