from fastapi import APIRouter
from fastapi.responses import JSONResponse

from omnihub.api.deps import RuntimeDep
from omnihub.services.health import database_problem

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(runtime: RuntimeDep) -> JSONResponse:
    """200 once the database answers; 503 while it does not."""
    problem = await database_problem(runtime.engine)
    if problem is not None:
        return JSONResponse({"status": "unavailable", "detail": problem}, status_code=503)
    return JSONResponse({"status": "ok"})
