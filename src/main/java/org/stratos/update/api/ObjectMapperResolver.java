package org.stratos.update.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ext.ContextResolver;

/**
 * Hands Jersey's Jackson provider Spring's configured {@code ObjectMapper}, with nulls always left out, and strict
 * about what it reads: a field no request type has ({@code "aproval"}), a key given twice in one object, or anything
 * after the JSON value is an error (answered 400 by {@code JsonInputMapper}) rather than silently dropped or
 * overwritten.
 */
final class ObjectMapperResolver implements ContextResolver<ObjectMapper> {

    private final ObjectMapper mapper;

    ObjectMapperResolver(ObjectMapper springMapper) {
        this.mapper = springMapper
                .copy()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return mapper;
    }
}
