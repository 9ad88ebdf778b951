package io.devswarm.server.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors no route answered, as problem+json like every other error: those the servlet container
 * sends to /error (a URL the firewall refuses, an exception no handler took) and those Tomcat
 * answers itself before any servlet runs (a path with an encoded '/' or NUL), which would
 * otherwise be its HTML page. Nothing of an exception is shown; the log has it.
 */
@RestController
class ErrorPage implements ErrorController {

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        write(response, status instanceof Integer code ? code : 500, uri instanceof String s ? s : null);
    }

    private static void write(HttpServletResponse response, int status, String uri) throws IOException {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        if (status >= 500) {
            ProblemResponses.write(response, status, "internal-error", title, "the server failed to answer; its log says why", uri);
        } else {
            ProblemResponses.write(response, status, "malformed", title, "the request could not be read as an API call (" + title + ")", uri);
        }
    }

    /** Puts {@link ProblemReportValve} in the place of Tomcat's HTML error report. */
    @Bean
    static WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) host.getPipeline().removeValve(valve);
            }
            host.getPipeline().addValve(new ProblemReportValve());
            // the host adds a report valve of this class on start unless it finds one
            ((StandardHost) host).setErrorReportValveClass(ProblemReportValve.class.getName());
        });
    }

    /** Tomcat's error report (for what it refuses before the application), written as problem+json. */
    static final class ProblemReportValve extends ErrorReportValve {
        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
            AtomicBoolean writable = new AtomicBoolean();
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
            if (!writable.get()) return;
            try {
                write(response, status, request.getRequestURI());
                response.finishResponse();
            } catch (IOException | IllegalStateException clientGone) {
                // nothing more can reach the client
            }
        }
    }
}
