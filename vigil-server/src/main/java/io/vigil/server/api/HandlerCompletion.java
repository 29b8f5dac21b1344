package io.vigil.server.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Marks the request once its handler has returned, before the answer is written. A write route
 * changes state inside its handler; a failure after this mark comes after that change was committed,
 * so the error must not say "nothing was stored" ({@link ErrorHandler#unexpected}).
 */
public final class HandlerCompletion implements SmartInitializingSingleton {
  private static final String COMPLETED = HandlerCompletion.class.getName() + ".completed";
  private final RequestMappingHandlerAdapter adapter;

  public HandlerCompletion(RequestMappingHandlerAdapter adapter) {
    this.adapter = adapter;
  }

  static boolean completed(HttpServletRequest request) {
    return request.getAttribute(COMPLETED) != null;
  }

  /** Puts the mark in front of the adapter's own return value handlers, once they are built. */
  @Override
  public void afterSingletonsInstantiated() {
    List<HandlerMethodReturnValueHandler> handlers = adapter.getReturnValueHandlers();
    if (handlers == null || handlers.stream().anyMatch(h -> h instanceof Mark)) return;
    adapter.setReturnValueHandlers(List.of(new Mark(new ArrayList<>(handlers))));
  }

  /** Marks, then hands the value to the handlers Spring chose. */
  private static final class Mark implements HandlerMethodReturnValueHandler {
    private final HandlerMethodReturnValueHandlerComposite delegate = new HandlerMethodReturnValueHandlerComposite();

    Mark(List<HandlerMethodReturnValueHandler> handlers) {
      delegate.addHandlers(handlers);
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
      return delegate.supportsReturnType(returnType);
    }

    @Override
    public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer container,
        NativeWebRequest request) throws Exception {
      HttpServletRequest servlet = request.getNativeRequest(HttpServletRequest.class);
      if (servlet != null) servlet.setAttribute(COMPLETED, Boolean.TRUE);
      delegate.handleReturnValue(returnValue, returnType, container, request);
      // An asynchronous result is not the outcome yet: its own value is marked when it comes back.
      if (servlet != null && servlet.isAsyncStarted()) servlet.removeAttribute(COMPLETED);
    }
  }
}
