// The widget manager (@jupyter-widgets/html-manager 1.0) typesets widget labels with
// MathJax 2's `MathJax.Hub.Queue`; the site loads MathJax 3, which has no Hub. Give every
// MathJax object (its config first, MathJax itself once loaded) a Hub that forwards there.
(function () {
  const withHub = (value) => {
    if (value && typeof value === "object" && !value.Hub) {
      value.Hub = {
        Queue: (call) => {
          const typeset = window.MathJax && window.MathJax.typesetPromise;
          if (typeset && Array.isArray(call) && call[2]) typeset([call[2]]).catch(() => {});
        },
      };
    }
    return value;
  };
  let current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: () => current,
    set: (value) => {
      current = withHub(value);
    },
  });
})();
