package io.devswarm.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.devswarm.core.model.AlreadyExistsException;
import io.devswarm.core.model.CapabilityMissingException;
import io.devswarm.core.model.ConflictException;
import io.devswarm.core.model.DataGoneException;
import io.devswarm.core.model.InstanceBusyException;
import io.devswarm.core.model.InvalidStateException;
import io.devswarm.core.model.NameTakenException;
import io.devswarm.core.model.ProviderUnavailableException;
import io.devswarm.core.model.StaleWriteException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.ProblemDetail;

/** Every kind of conflict, including those no API call can bring about on demand (a stale write, an unhealthy provider). */
@DisplayName("conflicts as problem+json")
class ProblemHandlerTest {
    private final ProblemHandler handler = new ProblemHandler();

    static Stream<Arguments> conflicts() {
        return Stream.of(
                arguments(new NameTakenException("dev-1"), "name-taken"),
                arguments(new AlreadyExistsException("user 'ana' already exists"), "already-exists"),
                arguments(new InstanceBusyException("instance 'dev-1' is busy: stop operation op-1 is in progress"), "instance-busy"),
                arguments(new InvalidStateException("instance 'dev-1' is stopped; it must be running to exec"), "invalid-state"),
                arguments(new StaleWriteException("instance 'dev-1' was changed by another request; reload and try again"), "stale-write"),
                arguments(new DataGoneException("the data of instance 'dev-1' in volume(s) workspace is gone"), "data-gone"),
                arguments(new ProviderUnavailableException("provider 'docker' is unavailable: engine unreachable"), "provider-unavailable"),
                arguments(new CapabilityMissingException("provider docker cannot snapshot volumes"), "capability-missing"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("conflicts")
    @DisplayName("a conflict is a 409 of its kind's type, with its message as the detail")
    void eachKindHasItsType(ConflictException conflict, String type) {
        ProblemDetail problem = handler.conflict(conflict);
        assertThat(problem.getStatus()).isEqualTo(409);
        assertThat(problem.getType()).hasToString("https://devswarm.dev/problems/" + type);
        assertThat(problem.getDetail()).isEqualTo(conflict.getMessage());
    }

    @Test
    @DisplayName("every kind of conflict is covered above, each with a type and a title of its own")
    void everyKindIsDistinct() {
        List<ConflictException> all = conflicts().map(a -> (ConflictException) a.get()[0]).toList();
        assertThat(all).extracting(Object::getClass).containsExactlyInAnyOrder(ConflictException.class.getPermittedSubclasses());
        List<ProblemDetail> problems = all.stream().map(handler::conflict).toList();
        assertThat(problems).extracting(ProblemDetail::getType).doesNotHaveDuplicates();
        assertThat(problems).extracting(ProblemDetail::getTitle).doesNotHaveDuplicates();
    }
}
