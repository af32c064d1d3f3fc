"""Response models of the API: the stable JSON contract (fields are only ever added)."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class NodeRef(BaseModel):
    key: str = Field(description="the node's key, stable across stores (graph/model.py)")
    kind: str = Field(description="Document, Task, Agency or Place")
    label: str
    ref: str = Field(description="short reference accepted back by every endpoint")


class Evidence(BaseModel):
    file: str
    line: int
    raw: str


class EdgeOut(BaseModel):
    source: str
    target: str
    type: str
    confidence: float | None = None
    evidence: list[Evidence] = []


class Step(EdgeOut):
    direction: str | None = Field(None, description="forward or backward along the edge (explain)")


class Link(BaseModel):
    node: NodeRef
    type: str
    confidence: float | None = None
    evidence: list[Evidence] = []


class DocumentOut(NodeRef):
    kind: Literal["Document"] = "Document"
    id: str
    type: str | None = None
    title: str | None = None
    issuer: str | None = None
    date: str | None = None
    jurisdiction: str | None = None
    province: str | None = None
    level: str | None = None
    role: str | None = None
    stub: bool = Field(description="known only from other documents' references")
    file: str | None = None
    confidence: float | None = None


class Deadline(BaseModel):
    kind: str = Field(description="date, month, quarter, year, recurring, conditional or none")
    value: str | None = None
    raw: str = ""


class TaskOut(NodeRef):
    kind: Literal["Task"] = "Task"
    section: str | None = None
    number: str | None = None
    text: str
    deadline: Deadline
    file: str | None = None
    line: int | None = None
    confidence: float | None = None


class UnitOut(NodeRef):
    kind: Literal["Agency"] = "Agency"
    name: str
    jurisdiction: str | None = None
    level: str | None = None


class PlaceOut(NodeRef):
    kind: Literal["Place"] = "Place"
    name: str
    level: str | None = None
    province: str | None = None


AnyNode = Annotated[DocumentOut | TaskOut | UnitOut | PlaceOut, Field(discriminator="kind")]
StartNode = Annotated[DocumentOut | TaskOut, Field(discriminator="kind")]


class Page(BaseModel, Generic[T]):
    total: int
    offset: int
    limit: int
    items: list[T]


class DocumentDetail(BaseModel):
    document: DocumentOut
    references: list[Link]
    referenced_by_total: int
    referenced_by: list[Link] = Field(description="the first `limit` of them")
    issued_by: list[NodeRef]
    places: list[NodeRef]
    tasks: list[TaskOut]


class TaskDetail(BaseModel):
    task: TaskOut
    document: NodeRef | None
    lead: list[NodeRef]
    support: list[NodeRef]
    references: list[Link]
    carries_out: list[NodeRef]
    carried_out_by: list[NodeRef]


class MatchFields(BaseModel):
    """How an aligned node matches the task asked about (graph/align.py)."""

    document: DocumentOut | None = Field(None, description="the plan a matched task is part of")
    score: float | None = Field(None, description="similarity of the two texts (0..1), or the "
                                "confidence of the citation for a cited document")
    method: str | None = Field(None, description="how the match was found: char-ngram-tfidf/threshold, "
                               "char-ngram-tfidf/mutual-best, cited-source")
    parents: list[str] = Field([], description="keys of the documents both plans carry out "
                               "(counterparts only)")
    evidence: list[Evidence] = []


class TaskMatch(TaskOut, MatchFields):
    pass


class DocumentMatch(DocumentOut, MatchFields):
    pass


AnyMatch = Annotated[TaskMatch | DocumentMatch, Field(discriminator="kind")]


class TaskCounterparts(BaseModel):
    task: TaskOut
    document: DocumentOut | None
    counterparts: list[TaskMatch] = Field(description="the same task in other places (COUNTERPART_OF), "
                                          "best score first")
    carries_out: list[AnyMatch] = Field(description="the parent tasks or cited documents it carries out")
    carried_out_by: list[AnyMatch] = Field(description="the tasks carrying it out")


class UnitDetail(BaseModel):
    unit: UnitOut
    leads: list[NodeRef]
    supports: list[NodeRef]
    issued: list[NodeRef]


class PlaceDetail(BaseModel):
    place: PlaceOut
    within: list[NodeRef]
    places: list[NodeRef]
    documents: list[NodeRef]


class PathOut(BaseModel):
    length: int
    nodes: list[NodeRef]
    steps: list[Step]


class Root(DocumentOut):
    distance: int


class TraceUp(BaseModel):
    start: StartNode
    edge_types: list[str]
    roots: list[Root]
    total_paths: int
    truncated: bool
    paths: list[PathOut]


class TaskWithUnits(TaskOut):
    lead: list[NodeRef]
    support: list[NodeRef]


class DescendantDocument(BaseModel):
    document: DocumentOut
    depth: int
    via: EdgeOut | None
    tasks: list[TaskWithUnits]


class PlaceGroup(BaseModel):
    province: str | None
    commune: str | None
    documents: list[DescendantDocument]


class ProvinceSummary(BaseModel):
    province: str | None = Field(description="None for national documents")
    documents: int
    tasks: int
    communes: int = Field(description="communes with at least one document")
    offset: int = Field(description="position of the province's first document: the offset of its page")


class TraceDown(BaseModel):
    start: StartNode
    edge_types: list[str]
    total_documents: int
    total_tasks: int
    offset: int
    limit: int
    provinces: list[ProvinceSummary] = Field(description="the whole answer summed up per province, in "
                                             "the answer's order")
    groups: list[PlaceGroup]


class CoverageDocument(NodeRef):
    id: str
    level: str | None
    stub: bool
    depth: int


class CommuneCoverage(BaseModel):
    commune: str
    status: str = Field(description="ingested, or stub when only referenced documents cover it")
    documents: list[CoverageDocument]


class ProvinceCoverage(BaseModel):
    province: str | None
    status: str
    documents: list[CoverageDocument]
    communes: list[CommuneCoverage]
    ingested_documents: int
    stub_documents: int


class MissingCommune(BaseModel):
    commune: str
    province: str | None


class Coverage(BaseModel):
    directive: DocumentOut
    provinces_total: int
    provinces_covered: int
    provinces_without: list[str]
    communes_total: int
    communes_covered: int
    communes_without: Page[MissingCommune]
    unmatched_places: list[str]
    national_documents: list[CoverageDocument]
    covered_provinces: list[ProvinceCoverage]


class GapTask(TaskOut):
    carried_out_by: list[NodeRef]


class PlanGaps(BaseModel):
    plan: DocumentOut
    total_tasks: int
    carried: list[GapTask]
    without_carrying_task: list[GapTask]
    implementing_documents: list[NodeRef]


class WorkloadTask(TaskOut):
    role: str = Field(description="lead (chủ trì) or support (phối hợp)")
    unit: str
    document: NodeRef | None
    due: str | None = Field(description="last day the deadline allows (ISO), null if none")
    overdue: bool


class Workload(BaseModel):
    units: list[UnitOut]
    as_of: str
    lead: int
    support: int
    overdue: int
    tasks: Page[WorkloadTask]


class RoleRef(NodeRef):
    role: str


class SearchHit(BaseModel):
    score: float
    node: AnyNode
    tasks: list[RoleRef] = Field(description="for a unit: tasks it leads or supports")


class SearchResult(Page[SearchHit]):
    query: str
    folded: str


class UnresolvedRow(BaseModel):
    document: DocumentOut
    cited_by_count: int
    relations: dict[str, int]
    cited_by: list[NodeRef]


class Explain(BaseModel):
    source: AnyNode
    target: AnyNode
    edge_types: list[str]
    paths: list[PathOut]


class Neighbourhood(BaseModel):
    center: str
    nodes: list[AnyNode]
    edges: list[EdgeOut]
    truncated: bool


class FileResult(BaseModel):
    file: str
    status: str = Field(description="ingested, or the refusal: too_large, undecodable, failed")
    message: str | None = None
    document: str | None = Field(None, description="key of the file's own document")
    references: int = 0
    tasks: int = 0


class Alignment(BaseModel):
    carries_out_tasks: int = Field(description="task → task CARRIES_OUT edges in the store")
    carries_out_documents: int = Field(description="task → document CARRIES_OUT edges")
    counterparts: int = Field(description="COUNTERPART_OF edges")


class IngestResult(BaseModel):
    files: list[FileResult]
    written: int
    alignment: Alignment | None = Field(None, description="task-level lineage derived again over the "
                                        "whole store after the write (null when nothing was written "
                                        "or the alignment failed)")
    alignment_error: str | None = Field(None, description="why the alignment failed; the files are "
                                        "stored, `chidao align` derives it again")


class Health(BaseModel):
    status: str
    documents: int
    files: int


class ErrorOut(BaseModel):
    error: str
    message: str
    suggestions: list[str] = []
    candidates: list[str] = []
    details: list[dict] = []
