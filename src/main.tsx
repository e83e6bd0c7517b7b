import { startFluoroLens } from './app/bootstrap';
import './ui/app.css';

startFluoroLens(document.getElementById('root')!);
