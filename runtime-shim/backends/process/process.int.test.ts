import { backendConformance } from "../backend.case.js";

backendConformance("process");
