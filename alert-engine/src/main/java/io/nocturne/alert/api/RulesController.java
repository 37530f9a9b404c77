package io.nocturne.alert.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.nocturne.alert.AlertEngine;
import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleFileException;
import io.nocturne.alert.rules.RuleRepository;

/**
 * {@code /api/v1/rules}: the running rules, and {@code POST /api/v1/rules/reload} to load the
 * rule files now. A reload that finds problems answers 422 with every problem (file, line,
 * field, message) and leaves the running rules as they were.
 */
@Controller("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
public class RulesController {

    private final AlertEngine engine;

    public RulesController(AlertEngine engine) {
        this.engine = engine;
    }

    @Get
    public HttpResponse<String> list() {
        StringBuilder sb = new StringBuilder("{\"path\":").append(IncidentController.jsonString(engine.rules().path().toString()))
                .append(",\"generation\":").append(engine.rules().current().generation())
                .append(",\"lastLoad\":").append(result(engine.rules().lastResult()))
                .append(",\"rules\":[");
        boolean first = true;
        for (Rule r : engine.rules().current().rules()) {
            sb.append(first ? "" : ",").append("{\"name\":").append(IncidentController.jsonString(r.name()))
                    .append(",\"group\":").append(IncidentController.jsonString(r.group()))
                    .append(",\"kind\":").append(IncidentController.jsonString(r.kind().key()))
                    .append(",\"source\":").append(IncidentController.jsonString(r.source().key()))
                    .append(",\"severity\":").append(IncidentController.jsonString(r.severity()))
                    .append(",\"match\":").append(IncidentController.jsonString(r.match().expression()))
                    .append(",\"index\":").append(IncidentController.jsonString(io.nocturne.alert.rules.MatchIndex.describe(r.index())))
                    .append(",\"file\":").append(IncidentController.jsonString(r.file()))
                    .append(",\"line\":").append(r.line()).append('}');
            first = false;
        }
        return HttpResponse.ok(sb.append("]}").toString());
    }

    @Post("/reload")
    public HttpResponse<String> reload() {
        RuleRepository.LoadResult r = engine.rules().reload();
        return HttpResponse.<String>status(r.applied() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_ENTITY)
                .body(result(r)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    static String result(RuleRepository.LoadResult r) {
        StringBuilder sb = new StringBuilder("{\"applied\":").append(r.applied())
                .append(",\"rules\":").append(r.rules())
                .append(",\"generation\":").append(r.generation())
                .append(",\"at\":").append(IncidentController.jsonString(r.at().toString()))
                .append(",\"problems\":[");
        boolean first = true;
        for (RuleFileException.Problem p : r.problems()) {
            sb.append(first ? "" : ",").append("{\"file\":").append(IncidentController.jsonString(p.file()))
                    .append(",\"line\":").append(p.line())
                    .append(",\"field\":").append(IncidentController.jsonString(p.field()))
                    .append(",\"message\":").append(IncidentController.jsonString(p.message()))
                    .append(",\"text\":").append(IncidentController.jsonString(p.toString())).append('}');
            first = false;
        }
        return sb.append("]}").toString();
    }
}
