import ContractWorkflow
import Shared

await ServiceMain.run(service: ContractWorkflowService.name, defaultHTTPPort: ContractWorkflowService.defaultHTTPPort, wire: ContractWorkflowService.wire)
