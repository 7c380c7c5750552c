from kb.models.feedback import Feedback
from kb.models.pages import (
    ArticleIndexPage,
    ArticlePage,
    ArticleTag,
    KnowledgeBaseHome,
    ReportIndexPage,
    ReportPage,
    ReportTag,
)

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleTag",
    "Feedback",
    "KnowledgeBaseHome",
    "ReportIndexPage",
    "ReportPage",
    "ReportTag",
]
