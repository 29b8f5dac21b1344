package io.vigil.server.change;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Records a successful direct write as an emergency change just before its answer's body is
 * written ({@link DirectWriteGuard#recordIfDone}): after the answer would be too late for a caller
 * that reads the register, or the state, as soon as it has the answer.
 */
@ControllerAdvice
public class EmergencyChangeRecorder implements ResponseBodyAdvice<Object> {
  private final ObjectProvider<DirectWriteGuard> guard;

  public EmergencyChangeRecorder(ObjectProvider<DirectWriteGuard> guard) {
    this.guard = guard;
  }

  @Override
  public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
      Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
    if (request instanceof ServletServerHttpRequest in && response instanceof ServletServerHttpResponse out) {
      HttpServletRequest servlet = in.getServletRequest();
      if (servlet.getAttribute(DirectWriteGuard.KIND) != null) {
        guard.getObject().recordIfDone(servlet, out.getServletResponse().getStatus());
      }
    }
    return body;
  }
}
