import LeadIntake
import Shared

await ServiceMain.run(service: LeadIntakeService.name, defaultHTTPPort: LeadIntakeService.defaultHTTPPort, wire: LeadIntakeService.wire)
