"""Prompt engineering: versioned templates, strategies per output kind, data providers."""

from .providers import (
    ContextProvider,
    ContextSnippet,
    StaticContextProvider,
    StaticWinnersProvider,
    WinnersProvider,
    WinningExample,
)
from .strategies import (
    CopyPromptStrategy,
    GooglePmaxPromptStrategy,
    GoogleRsaPromptStrategy,
    ImagePromptStrategy,
    MetaPromptStrategy,
    PromptInput,
    RenderedPrompt,
    RepairPromptStrategy,
    VideoScenePromptStrategy,
    VideoScriptPromptStrategy,
    copy_strategy_for,
    gather_input,
)
from .templates import PromptTemplate, available, load_template

__all__ = [
    "ContextProvider",
    "ContextSnippet",
    "CopyPromptStrategy",
    "GooglePmaxPromptStrategy",
    "GoogleRsaPromptStrategy",
    "ImagePromptStrategy",
    "MetaPromptStrategy",
    "PromptInput",
    "PromptTemplate",
    "RenderedPrompt",
    "RepairPromptStrategy",
    "StaticContextProvider",
    "StaticWinnersProvider",
    "VideoScenePromptStrategy",
    "VideoScriptPromptStrategy",
    "WinnersProvider",
    "WinningExample",
    "available",
    "copy_strategy_for",
    "gather_input",
    "load_template",
]
