"""The Gradio web interface: `build_app(assistant)` and `launch(settings)` in `ui.app`;
plain formatting functions (no gradio) in `ui.format`."""

__all__ = ["build_app", "launch"]


def __getattr__(name: str):  # keep `import ui` free of gradio
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
